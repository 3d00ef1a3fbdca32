"""Harmful sexual behaviour: referrals, HSB meetings, AIM assessments and training records."""
