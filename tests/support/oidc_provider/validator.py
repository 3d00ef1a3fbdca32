"""The claims a council's directory sends: username, names, email and the groups."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryValidator(OAuth2Validator):
    # Every claim below is sent whatever scopes were asked for, as Entra ID sends groups.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "groups": [group.name for group in user.groups.all()],
        }
