"""Models of the conferences app. Child protection: conferences, attendance, reports, records, CP
plans and appeals.
"""
