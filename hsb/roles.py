"""What each role may do with harmful sexual behaviour (HSB) work.

HSB records are especially sensitive: only the HSB lead, IRO managers and senior managers see
them. The HSB lead is a team manager of the safeguarding unit (seed 7.1), so the IRO manager
role carries the lead's permissions; an IRO made HSB lead is given ``hsb.view_hsb_records`` and
``hsb.manage_hsb_work`` on their own account in the Django admin. An IRO who chairs an HSB
meeting sees that referral without either (``hsb.selectors.referrals_visible_to``). No other
role holds any HSB permission, and the pages and endpoints answer them 404, not 403."""

from iro_service.core.roles import Role

VIEW_ALL = "hsb.view_hsb_records"
MANAGE_WORK = "hsb.manage_hsb_work"
MANAGE_TRAINING = "hsb.manage_hsb_training"

ROLE_PERMISSIONS = {
    Role.IRO_MANAGER: [VIEW_ALL, MANAGE_WORK, MANAGE_TRAINING],
    Role.SENIOR_MANAGER: [VIEW_ALL],
}
