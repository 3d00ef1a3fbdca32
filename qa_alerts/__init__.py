"""IRO quality-assurance alerts, responses, escalation stages and challenge meetings."""
