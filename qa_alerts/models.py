"""Models of the qa_alerts app. IRO quality-assurance alerts, responses, escalation stages and
challenge meetings.
"""
