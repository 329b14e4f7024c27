"""Helpers shared by the addon's wizards."""


def reopen_action(wizard, name=None):
    """Show the same wizard again (its next step, or its result)."""
    action = {
        "type": "ir.actions.act_window",
        "res_model": wizard._name,
        "res_id": wizard.id,
        "view_mode": "form",
        "target": "new",
    }
    if name:
        action["name"] = name
    return action
