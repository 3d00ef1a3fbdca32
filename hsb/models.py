"""Models of the hsb app. Harmful sexual behaviour: referrals, HSB meetings, AIM assessments and
training records.
"""
