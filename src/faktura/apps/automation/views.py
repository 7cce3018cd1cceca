"""Settings -> Issuing rules: each channel's rules, their order, the built-in triggers, and explain (F4).

Thin views over the automation services: every save goes through
``rule_create`` / ``rule_update`` / ``rule_delete`` / ``triggers_set``, which
check the whole rule set as it would be and record the audit event. The editor
explains a past order of the channel against the rules *as being edited*
(``rule_set_proposed``, nothing written), so a seller sees which rule would
match, or the first condition that fails, before saving.

Everyone who may see documents may read the rules; changing them needs
``SETTINGS_CHANGE`` (the editor pages and every POST answer 403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.automation import selectors, services
from faktura.apps.sales import selectors as sales
from faktura.core.errors import FakturaError
from faktura.core.roles import Permission
from faktura.core.rules import BillingDetails, BuyerKind, OrderStatus, PaymentMethod, Trigger
from faktura.web.seller import seller_view

STATUS_LABELS = {
    OrderStatus.NEW: _("New"),
    OrderStatus.ACCEPTED: _("Accepted"),
    OrderStatus.PROCESSING: _("Processing"),
    OrderStatus.SHIPPED: _("Shipped"),
    OrderStatus.DELIVERED: _("Delivered"),
    OrderStatus.COMPLETED: _("Completed"),
    OrderStatus.CANCELLED: _("Cancelled"),
    OrderStatus.RETURNED: _("Returned"),
}
PAYMENT_LABELS = {
    PaymentMethod.CARD: _("Card"),
    PaymentMethod.BANK_TRANSFER: _("Bank transfer"),
    PaymentMethod.CASH_ON_DELIVERY: _("Cash on delivery"),
    PaymentMethod.CASH: _("Cash"),
    PaymentMethod.PAYPAL: _("PayPal"),
    PaymentMethod.OTHER: _("Other"),
}
DOCUMENT_LABELS = {"proforma": _("Proforma invoice"), "invoice": _("Invoice"), "credit_note": _("Credit note")}
BILLING_LABELS = {
    BillingDetails.ALWAYS: _("Always"),
    BillingDetails.ONLY_IF_ENTERED: _("Only if the buyer entered billing details"),
}
BUYER_LABELS = {
    BuyerKind.ANY: _("Any buyer"),
    BuyerKind.BUSINESS: _("Businesses only"),
    BuyerKind.CONSUMER: _("Consumers only"),
}
TRIGGER_LABELS = {
    Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID: _("Final invoice when a proforma is paid"),
    Trigger.INVOICE_WHEN_ORDER_PAID: _("Invoice when the order is fully paid"),
    Trigger.CREDIT_NOTE_WHEN_CANCELLED: _("Credit note when the order is cancelled"),
    Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND: _("Credit note for a partial refund"),
}
TRIGGER_HELP = {
    Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID: _("Settles the proforma; its advance leaves nothing due."),
    Trigger.INVOICE_WHEN_ORDER_PAID: _("Issued once payments cover the order, marked paid."),
    Trigger.CREDIT_NOTE_WHEN_CANCELLED: _("Credits what is left on the live invoice."),
    Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND: _("Credits the refunded amount and lines."),
}
RECENT_ORDERS = 30


def _words(text: str) -> list[str]:
    """``"a, b;c"`` -> ``["a", "b", "c"]``: lists typed in one field."""
    return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    statuses = forms.MultipleChoiceField(
        label=_("Order status"),
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The rule is asked when the order reaches one of these."),
    )
    payment_methods = forms.MultipleChoiceField(
        label=_("Payment method"),
        choices=[(p.value, label) for p, label in PAYMENT_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: any payment method."),
    )
    delivery_methods = forms.CharField(
        label=_("Delivery methods"),
        required=False,
        max_length=500,
        help_text=_("The shop's own words, separated by commas; empty: any."),
    )
    billing_details = forms.ChoiceField(
        label=_("Billing details"),
        choices=[(b.value, label) for b, label in BILLING_LABELS.items()],
        initial=BillingDetails.ALWAYS.value,
    )
    buyer_countries = forms.CharField(
        label=_("Buyer countries"),
        required=False,
        max_length=500,
        help_text=_("Two-letter codes separated by commas, e.g. RO, SK; empty: any."),
    )
    buyer_kind = forms.ChoiceField(
        label=_("Business or consumer"),
        choices=[(k.value, label) for k, label in BUYER_LABELS.items()],
        initial=BuyerKind.ANY.value,
    )
    document_type = forms.ChoiceField(label=_("Document to issue"))
    send_to_buyer = forms.BooleanField(label=_("Send it to the buyer"), required=False, initial=True)
    due_days = forms.IntegerField(
        label=_("Due in (days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Empty: the series' or the company's default."),
    )
    mark_paid = forms.BooleanField(
        label=_("Mark paid at once"),
        required=False,
        help_text=_("Invoices of orders paid upfront (card, PayPal, cash) only."),
    )

    def __init__(self, *args: Any, document_types: frozenset[str], connector: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in DOCUMENT_LABELS.items() if value in document_types]
        if connector:
            field.help_text = _("Only the types %(connector)s accepts.") % {"connector": connector}

    def payload(self) -> dict[str, Any]:
        """The rule as the services take it: conditions and action in the API's JSON shape."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "enabled": data["enabled"],
            "conditions": {
                "statuses": data["statuses"],
                "payment_methods": data["payment_methods"] or None,
                "delivery_methods": _words(data["delivery_methods"]) or None,
                "billing_details": data["billing_details"],
                "buyer_countries": [c.upper() for c in _words(data["buyer_countries"])] or None,
                "buyer_kind": data["buyer_kind"],
            },
            "action": {
                "document_type": data["document_type"],
                "send_to_buyer": data["send_to_buyer"],
                "due_days": data["due_days"],
                "mark_paid": data["mark_paid"],
            },
        }

    def add_service_error(self, error: FakturaError) -> None:
        """The service names the field as the API does (``conditions.statuses.0``): shown next to ours."""
        parts = (error.field or "").split(".")
        if parts and parts[0] in ("conditions", "action"):
            parts = parts[1:]
        name = parts[0] if parts else ""
        self.add_error(name if name in self.fields else None, error.message)


def initial_of(rule: Any) -> dict[str, Any]:
    conditions, action = rule.conditions or {}, rule.action or {}
    return {
        "name": rule.name,
        "enabled": rule.enabled,
        "statuses": conditions.get("statuses") or [],
        "payment_methods": conditions.get("payment_methods") or [],
        "delivery_methods": ", ".join(conditions.get("delivery_methods") or []),
        "billing_details": conditions.get("billing_details") or BillingDetails.ALWAYS.value,
        "buyer_countries": ", ".join(conditions.get("buyer_countries") or []),
        "buyer_kind": conditions.get("buyer_kind") or BuyerKind.ANY.value,
        "document_type": action.get("document_type"),
        "send_to_buyer": action.get("send_to_buyer", True),
        "due_days": action.get("due_days"),
        "mark_paid": action.get("mark_paid", False),
    }


def describe_conditions(conditions: dict[str, Any]) -> list[str]:
    """The conditions in the seller's language, one phrase each, for the list of rules."""
    phrases = [
        gettext("status %(values)s")
        % {"values": " / ".join(str(STATUS_LABELS[OrderStatus(s)]) for s in conditions.get("statuses") or [])}
    ]
    if conditions.get("payment_methods"):
        paid = " / ".join(str(PAYMENT_LABELS[PaymentMethod(p)]) for p in conditions["payment_methods"])
        phrases.append(gettext("paid by %(values)s") % {"values": paid})
    if conditions.get("delivery_methods"):
        phrases.append(gettext("delivered by %(values)s") % {"values": " / ".join(conditions["delivery_methods"])})
    if conditions.get("billing_details") == BillingDetails.ONLY_IF_ENTERED:
        phrases.append(gettext("billing details entered"))
    if conditions.get("buyer_countries"):
        phrases.append(gettext("buyer in %(values)s") % {"values": ", ".join(conditions["buyer_countries"])})
    if conditions.get("buyer_kind") in (BuyerKind.BUSINESS, BuyerKind.CONSUMER):
        phrases.append(str(BUYER_LABELS[BuyerKind(conditions["buyer_kind"])]).lower())
    return phrases


def describe_action(action: dict[str, Any]) -> list[str]:
    options = [gettext("sent to the buyer") if action.get("send_to_buyer", True) else gettext("not sent")]
    if action.get("due_days") is not None:
        options.append(gettext("due in %(days)s days") % {"days": action["due_days"]})
    if action.get("mark_paid"):
        options.append(gettext("marked paid"))
    return options


def _channel_or_404(request: HttpRequest, channel_id: Any) -> Any:
    try:
        wanted = int(channel_id)
    except (TypeError, ValueError):
        raise Http404("no such channel") from None
    channel = sales.channel_get(organization=request.seller.organization, channel_id=wanted)  # type: ignore[attr-defined]
    if channel is None:
        raise Http404("no such channel")
    return channel


def _rule_or_404(request: HttpRequest, rule_id: int) -> Any:
    rule = selectors.rule_get(organization=request.seller.organization, rule_id=rule_id)  # type: ignore[attr-defined]
    if rule is None:
        raise Http404("no such rule")
    return rule


def _rules_url(channel_id: int) -> str:
    return f"{reverse('automation:rules')}?channel={channel_id}"


@seller_view()
def rules(request: HttpRequest) -> HttpResponse:
    """The channel's rules in the order they are asked, and its triggers."""
    organization = request.seller.organization  # type: ignore[attr-defined]
    channels = list(sales.channels(organization=organization))
    channel = None
    if channels:
        wanted = request.GET.get("channel")
        channel = _channel_or_404(request, wanted) if wanted else channels[0]
    context: dict[str, Any] = {"channels": channels, "channel": channel}
    if channel is not None:
        context.update(_channel_context(organization, channel))
    return render(request, "automation/rules.html", context)


def _channel_context(organization: Any, channel: Any) -> dict[str, Any]:
    rule_set = selectors.rule_set_get(organization=organization, channel_id=channel.pk)
    switches = rule_set.triggers if rule_set else {}
    document_types, connector = selectors.channel_document_types(channel=channel)
    listed = [
        {
            "rule": rule,
            "when": describe_conditions(rule.conditions or {}),
            "issues": DOCUMENT_LABELS.get(rule.document_type, rule.document_type),
            "options": describe_action(rule.action or {}),
        }
        for rule in selectors.rules(organization=organization, channel_id=channel.pk)
    ]
    triggers = [
        {
            "name": trigger.value,
            "label": TRIGGER_LABELS[trigger],
            "help": TRIGGER_HELP[trigger],
            "on": bool(switches.get(trigger.value)),
            "supported": trigger.document_type.value in document_types,
        }
        for trigger in Trigger
    ]
    return {
        "rules": listed,
        "triggers": triggers,
        "version": rule_set.version if rule_set else 0,
        "connector": connector,
    }


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def triggers_save(request: HttpRequest, channel_id: int) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    channel = _channel_or_404(request, channel_id)
    wanted = {trigger.value: request.POST.get(trigger.value) == "on" for trigger in Trigger}
    try:
        services.triggers_set(
            actor=seller.actor, organization=seller.organization, channel_id=channel.pk, triggers=wanted
        )
    except FakturaError as error:
        messages.error(request, gettext("The triggers were not saved: %(error)s") % {"error": error.message})
    else:
        messages.success(request, gettext("Triggers saved."))
    return redirect(_rules_url(channel.pk))


@seller_view(Permission.SETTINGS_CHANGE)
def rule_new(request: HttpRequest) -> HttpResponse:
    channel = _channel_or_404(request, request.GET.get("channel") or request.POST.get("channel"))
    return _editor(request, channel, rule=None)


@seller_view(Permission.SETTINGS_CHANGE)
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = _rule_or_404(request, rule_id)
    channel = _channel_or_404(request, rule.rule_set.channel_id)
    return _editor(request, channel, rule=rule)


def _form(request: HttpRequest, channel: Any, rule: Any, *, bound: bool) -> RuleForm:
    document_types, connector = selectors.channel_document_types(channel=channel)
    if bound:
        return RuleForm(request.POST, document_types=document_types, connector=connector)
    initial = initial_of(rule) if rule is not None else {}
    return RuleForm(initial=initial, document_types=document_types, connector=connector)


def _editor(request: HttpRequest, channel: Any, *, rule: Any) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    explained: dict[str, Any] | None = None
    if request.method == "POST":
        form = _form(request, channel, rule, bound=True)
        if "explain" in request.POST:
            explained = _explain(request, channel, rule, form)
        elif form.is_valid():
            try:
                if rule is None:
                    services.rule_create(
                        actor=seller.actor, organization=seller.organization, channel_id=channel.pk, **form.payload()
                    )
                else:
                    services.rule_update(
                        actor=seller.actor, organization=seller.organization, rule_id=rule.pk, **form.payload()
                    )
            except FakturaError as error:
                form.add_service_error(error)
            else:
                messages.success(request, gettext("Rule saved."))
                return redirect(_rules_url(channel.pk))
    else:
        form = _form(request, channel, rule, bound=False)
    return render(
        request,
        "automation/rule_form.html",
        {
            "form": form,
            "channel": channel,
            "rule": rule,
            "orders": _recent_orders(seller.organization, channel),
            "explained": explained,
            "status_labels": STATUS_LABELS,
            "payment_labels": PAYMENT_LABELS,
        },
        status=422 if request.method == "POST" and form.errors and explained is None else 200,
    )


def _recent_orders(organization: Any, channel: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": order.pk,
            "number": order.number or order.external_id,
            "status": STATUS_LABELS.get(OrderStatus(order.status), order.status),
            "payment": PAYMENT_LABELS.get(PaymentMethod(order.payment_method), order.payment_method),
            "total": order.total,
            "currency": order.currency,
        }
        for order in sales.orders(organization=organization, channel_id=channel.pk, limit=RECENT_ORDERS)
    ]


def _explain(request: HttpRequest, channel: Any, rule: Any, form: RuleForm) -> dict[str, Any]:
    """The chosen order against the channel's rules with this one as edited; errors instead when it cannot be."""
    organization = request.seller.organization  # type: ignore[attr-defined]
    order_id = request.POST.get("explain_order", "")
    order = None
    if order_id.isdigit():
        order = sales.order_get(organization=organization, order_id=int(order_id))
    if order is None or order.channel_id != channel.pk:
        return {"problem": gettext("Choose an order of this channel to explain.")}
    if not form.is_valid():
        return {"problem": gettext("Correct the rule first: the marked fields are not valid.")}
    try:
        proposed = selectors.rule_set_proposed(
            organization=organization,
            channel_id=channel.pk,
            rule_id=rule.pk if rule is not None else None,
            **form.payload(),
        )
        found = selectors.order_explain(organization=organization, order=order, proposed=proposed)
    except FakturaError as error:
        form.add_service_error(error)
        return {"problem": gettext("Correct the rule first: %(error)s") % {"error": error.message}}
    edited_id = rule.pk if rule is not None else 0
    checks = [
        {
            "name": check.rule.name,
            "edited": check.rule.id == edited_id,
            "enabled": check.rule.enabled,
            "document": DOCUMENT_LABELS.get(check.rule.action.document_type.value, ""),
            "matched": check.matched,
            "failure": check.failure,
        }
        for check in found.explanation.rules
    ]
    decisive = next((c for c in checks if c["matched"] and c["enabled"]), None)
    return {
        "order": found.order,
        "facts": found.facts,
        "status": STATUS_LABELS.get(found.facts.status, found.facts.status),
        "payment": PAYMENT_LABELS.get(found.facts.payment_method, found.facts.payment_method),
        "rules": checks,
        "decisive": decisive,
        "triggers": [
            {"label": TRIGGER_LABELS[check.trigger], "on": check.on, "text": check.describe()}
            for check in found.explanation.triggers
        ],
        "issue": [intent.describe() for intent in found.explanation.now.issue],
        "skipped": [skip.describe() for skip in found.explanation.now.skipped],
        "blocked": found.blocked,
    }


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def rule_explain(request: HttpRequest, channel_id: int) -> HttpResponse:
    """htmx: the explanation panel for the rule in the editor, as typed (nothing is saved)."""
    channel = _channel_or_404(request, channel_id)
    rule_id = request.POST.get("rule", "")
    rule = _rule_or_404(request, int(rule_id)) if rule_id.isdigit() else None
    if rule is not None and rule.rule_set.channel_id != channel.pk:
        raise Http404("no such rule in this channel")
    form = _form(request, channel, rule, bound=True)
    explained = _explain(request, channel, rule, form)
    return render(request, "automation/_explanation.html", {"explained": explained, "form": form})


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    rule = _rule_or_404(request, rule_id)
    services.rule_delete(actor=seller.actor, organization=seller.organization, rule_id=rule.pk)
    messages.success(request, gettext("Rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect(_rules_url(rule.rule_set.channel_id))


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def rule_move(request: HttpRequest, rule_id: int) -> HttpResponse:
    """One place up or down: rules are asked in order, and the first that issues a document wins."""
    seller = request.seller  # type: ignore[attr-defined]
    rule = _rule_or_404(request, rule_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.rule_update(
            actor=seller.actor,
            organization=seller.organization,
            rule_id=rule.pk,
            name=rule.name,
            conditions=rule.conditions,
            action=rule.action,
            enabled=rule.enabled,
            position=max(rule.position + step, 1),
        )
    except FakturaError as error:
        messages.error(request, error.message)
    return redirect(_rules_url(rule.rule_set.channel_id))
