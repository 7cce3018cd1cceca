"""The invoice as HTML + CSS, for the engines Faktura is measured against (Chromium, wkhtmltopdf).

It prints the same content as the built-in Typst invoice: it is made from the
same view (``faktura.pdf.view.document_view``: labels, numbers, dates and money
already formatted), with the same fonts (the bundled Inter, embedded through
``@font-face``), the same blocks (header, facts, parties, lines, VAT summary,
totals, amount due, payment details with the QR code as inline SVG, notes,
footer) and a stylesheet of the same size and weight. Layout uses tables and
floats, which both Chromium and wkhtmltopdf's older WebKit lay out alike.
Every value is escaped: data never becomes markup here either.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from faktura.pdf.engine import FONTS_DIR


def _lb(pair: list[str]) -> str:
    first, second = pair
    return escape(first) + (f' <span class="muted">/ {escape(second)}</span>' if second and second != first else "")


def _css(accent: str, fonts: Path) -> str:
    faces = "".join(
        f"@font-face{{font-family:Inter;src:url('{(fonts / f'Inter-{name}.otf').as_uri()}');"
        f"font-weight:{weight};font-style:{style}}}"
        for name, weight, style in (
            ("Regular", 400, "normal"),
            ("SemiBold", 600, "normal"),
            ("Bold", 700, "normal"),
            ("Italic", 400, "italic"),
        )
    )
    return (
        faces
        + f"""
@page {{ size: A4; margin: 13mm 16mm 18mm 16mm; }}
* {{ box-sizing: border-box; }}
body {{ font-family: Inter, sans-serif; font-size: 8.5pt; color: #111827; margin: 0; line-height: 1.35;
       border-top: 4pt solid {accent}; padding-top: 6pt; }}
.muted {{ color: #6b7280; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ vertical-align: top; padding: 0; }}
.caption {{ font-size: 7pt; font-weight: 700; color: {accent}; letter-spacing: 0.06em; text-transform: uppercase; }}
.header td.seller {{ font-size: 15pt; font-weight: 700; vertical-align: middle; }}
.header td.title {{ text-align: right; }}
.title .name {{ font-size: 22pt; font-weight: 700; color: {accent}; }}
.title .number {{ font-size: 11pt; font-weight: 600; }}
.facts td {{ width: 25%; padding: 8pt 10pt 8pt 0; }}
.facts .value {{ font-size: 9.5pt; font-weight: 600; }}
hr {{ border: 0; border-top: 0.5pt solid #e5e7eb; margin: 6pt 0; }}
.parties td {{ width: 50%; padding-right: 18pt; }}
.party .name {{ font-size: 10.5pt; font-weight: 700; margin-top: 4pt; }}
.party .block {{ margin-top: 7pt; }}
.lines {{ margin-top: 10pt; }}
.lines th {{ font-size: 7.5pt; font-weight: 700; color: #1e3a8a; background: #eef2fd; text-align: right;
            padding: 5pt; border-bottom: 1pt solid {accent}; }}
.lines td {{ padding: 5pt; text-align: right; border-bottom: 0.5pt solid #e5e7eb; }}
.lines .left {{ text-align: left; }}
.lines .desc .name {{ font-weight: 600; }}
.lines .small {{ font-size: 7.5pt; color: #6b7280; }}
.lines .net {{ font-weight: 600; }}
.summary {{ margin-top: 8pt; page-break-inside: avoid; }}
.summary > tbody > tr > td {{ width: 50%; }}
.summary > tbody > tr > td.vat {{ padding-right: 24pt; }}
.vat table {{ font-size: 8pt; margin-top: 2pt; }}
.vat th {{ color: #6b7280; font-weight: 600; text-align: right; padding: 4.5pt 5pt;
          border-bottom: 0.75pt solid {accent}; }}
.vat td {{ text-align: right; padding: 4.5pt 5pt; border-bottom: 0.5pt solid #e5e7eb; }}
.vat .left {{ text-align: left; }}
.currency {{ text-align: right; font-size: 7pt; color: #6b7280; }}
.totals td {{ padding: 4.5pt 6pt; }}
.totals td.value {{ text-align: right; }}
.due {{ background: {accent}; color: white; border-radius: 3pt; padding: 9pt 8pt; margin-top: 4pt; font-weight: 700; }}
.due .amount {{ float: right; font-size: 13pt; }}
.payment {{ margin-top: 8pt; border: 0.75pt solid #e5e7eb; border-radius: 3pt; padding: 10pt;
            page-break-inside: avoid; }}
.payment .rows td {{ padding: 2.5pt 12pt 2.5pt 0; }}
.payment .rows td.value {{ font-weight: 600; }}
.payment .qr {{ width: 28mm; text-align: center; }}
.payment .qr svg {{ width: 28mm; height: 28mm; }}
.payment .qr .scan {{ font-size: 7pt; color: #6b7280; }}
.notes {{ margin-top: 12pt; page-break-inside: avoid; }}
.notes .text {{ font-size: 8.5pt; margin-top: 2pt; }}
.legal {{ font-size: 8pt; font-weight: 600; margin: 4pt 0; }}
.footer {{ margin-top: 24pt; border-top: 0.5pt solid #e5e7eb; padding-top: 4pt; font-size: 7pt; color: #6b7280; }}
.footer .page {{ float: right; }}
"""
    )


def invoice_html(view: dict[str, Any], *, fonts: Path = FONTS_DIR) -> str:
    """The HTML page of one document view."""
    e = escape
    labels = view["labels"]
    facts = "".join(
        f'<td><div class="caption muted">{_lb(f["label"])}</div><div class="value">{e(f["value"])}</div></td>'
        for f in view["facts"]
    )

    def party(p: dict[str, Any], title: list[str]) -> str:
        lines = ([f'<span class="muted">{e(p["trade_name"])}</span>'] if p["trade_name"] else []) + [
            e(line) for line in p["address"]
        ]
        ids = "<br>".join(f'<span class="muted">{_lb(i["label"])}</span>: <b>{e(i["value"])}</b>' for i in p["ids"])
        contact = "<br>".join(e(c) for c in p["contact"])
        return (
            f'<div class="party"><div class="caption">{_lb(title)}</div><div class="name">{e(p["name"])}</div>'
            f'{"<br>".join(lines)}<div class="block">{ids}</div><div class="block muted">{contact}</div></div>'
        )

    disc = view["has_discount"]
    heads = ["#", _lb(labels["description"]), _lb(labels["quantity"]), "", _lb(labels["unit_price"])]
    heads += [_lb(labels["discount"])] if disc else []
    heads += [_lb(labels["vat_rate"]), _lb(labels["net_amount"])]
    head_row = "".join(f'<th class="{"left" if i in (0, 1, 3) else ""}">{h}</th>' for i, h in enumerate(heads))
    rows = []
    for line in view["lines"]:
        desc = f'<div class="name">{e(line["name"])}</div>'
        desc += f'<div class="small">{e(line["description"])}</div>' if line["description"] else ""
        desc += f'<div class="small">{e(line["sku"])}</div>' if line["sku"] else ""
        cells = [
            f'<td class="left muted">{e(line["no"])}</td>',
            f'<td class="left desc">{desc}</td>',
            f"<td>{e(line['qty'])}</td>",
            f'<td class="left muted">{e(line["unit"])}</td>',
            f"<td>{e(line['price'])}</td>",
        ]
        cells += [f"<td>{e(line['discount'])}</td>"] if disc else []
        cells += [f"<td>{e(line['rate'])}</td>", f'<td class="net">{e(line["net"])}</td>']
        rows.append("<tr>" + "".join(cells) + "</tr>")
    vat_heads = "".join(
        f'<th class="{"left" if i == 0 else ""}">{_lb(labels[k])}</th>'
        for i, k in enumerate(("rate", "taxable_amount", "tax_amount", "gross_amount"))
    )
    vat_rows = "".join(
        f'<tr><td class="left">{e(r["rate"])}</td><td>{e(r["base"])}</td><td>{e(r["tax"])}</td>'
        f"<td>{e(r['gross'])}</td></tr>"
        for r in view["vat"]
    )
    totals = "".join(
        f'<tr><td class="muted">{_lb(r["label"])}</td><td class="value">{e(r["value"])}</td></tr>'
        for r in view["totals"]
    )
    payment = ""
    if view["payment"]:
        pay_rows = "".join(
            f'<tr><td class="muted">{_lb(r["label"])}</td><td class="value">{e(r["value"])}</td></tr>'
            for r in view["payment"]["rows"]
        )
        qr = view["payment"]["qr"]  # segno's SVG: generated by us, holds no data as markup
        qr_cell = f'<td class="qr">{qr}<div class="scan">{_lb(labels["scan_to_pay"])}</div></td>' if qr else ""
        payment = (
            f'<div class="payment"><table><tr><td><div class="caption">{_lb(labels["payment"])}</div>'
            f'<table class="rows">{pay_rows}</table></td>{qr_cell}</tr></table></div>'
        )
    legal = "".join(f'<div class="legal">{_lb(w)}</div>' for w in view["legal"])
    note = (
        f'<div class="notes"><div class="caption">{_lb(labels["notes"])}</div>'
        f'<div class="text">{e(view["note"])}</div></div>'
        if view["note"]
        else ""
    )
    seller_ids = "".join(f" · {e(i['label'][0])} {e(i['value'])}" for i in view["seller"]["ids"])
    page = e(view["page"][0].replace("{page}", "1").replace("{pages}", "1"))
    return f"""<!DOCTYPE html>
<html lang="{e(view["lang"])}"><head><meta charset="utf-8"><title>{e(view["title"][0])} {e(view["number"])}</title>
<style>{_css(view["accent"], fonts)}</style></head><body>
<table class="header"><tr><td class="seller">{e(view["seller"]["name"])}</td>
<td class="title"><div class="name">{_lb(view["title"])}</div>
<div class="number">{e(view["number"])}</div></td></tr></table>
<table class="facts"><tr>{facts}</tr></table><hr>
<table class="parties"><tr><td>{party(view["seller"], labels["seller"])}</td>
<td>{party(view["buyer"], labels["buyer"])}</td></tr></table>
<table class="lines"><thead><tr>{head_row}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<table class="summary"><tr><td class="vat"><div class="caption">{_lb(labels["vat_summary"])}</div>
<table><thead><tr>{vat_heads}</tr></thead><tbody>{vat_rows}</tbody></table>
<div class="currency">{e(view["currency"])}</div></td>
<td><table class="totals">{totals}</table>
<div class="due">{_lb(view["due"]["label"])}<span class="amount">{e(view["due"]["value"])}</span></div>
</td></tr></table>
{payment}{legal}{note}
<div class="footer"><span class="page">{page}</span>{e(view["seller"]["name"])}{seller_ids}</div>
</body></html>"""
