"""Models of the reports app. The figures service, dashboards, the REST figures API and the annual
report job.
"""
