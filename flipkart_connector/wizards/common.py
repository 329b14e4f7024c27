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


def selected_pickings(wizard, values):
    """Default ``picking_ids`` of a wizard opened on selected transfers."""
    context = wizard.env.context
    if context.get("active_model") == "stock.picking" and context.get("active_ids"):
        values.setdefault("picking_ids", [(6, 0, context["active_ids"])])
    return values
