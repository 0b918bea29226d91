"""Report pages: district-to-district flows and the monthly and quarterly city reports."""

from flask import render_template, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from market import tables
from market.auth import page_user
from market.calendar import market_day
from market.downloads import attachment, wanted_format
from market.errors import DomainError
from market.services import catalogue, reports
from market.vocabulary import MECHANISM
from market.web.access import refused
from market.web.blueprint import bp
from market.web.charts import flow_diagram
from market.web.forms import FlowQueryForm, ReportQueryForm


def _mechanism_choices(field) -> str | None:
    """Every mechanism, or one of them; the chosen one (None for all, or for a stray code)."""
    field.choices = [SelectChoice("", _("All mechanisms"))] + [
        SelectChoice(code, label) for code, label in MECHANISM.items()]
    return field.data if field.data in MECHANISM else None


@bp.get("/desk/flows")
def flows():
    """Quantity and money from seller county to buyer county (经济反哺), by period."""
    form = FlowQueryForm(formdata=request.args)
    form.instrument.choices = [SelectChoice("", _("All instruments"))] + [
        SelectChoice(i.code, f"{i.code} {i.name_zh}") for i in catalogue.list_instruments()]
    mechanism = _mechanism_choices(form.mechanism)
    matrix, error = None, None
    if form.validate():
        try:
            matrix = reports.flow_matrix(page_user(), form.date_from.data, form.date_to.data,
                                         form.instrument.data or None, mechanism)
        except DomainError as refusal:
            error = refused(refusal)
    return render_template("flows.html", form=form, matrix=matrix, error=error,
                           diagram=flow_diagram(matrix) if matrix else None)


@bp.get("/desk/reports")
def city_report():
    """A city's monthly (月通报) or quarterly (季分析) report, with CSV and XLSX downloads."""
    form, report, error = _report_form(), None, None
    if form.validate():
        try:
            report = reports.city_report(page_user(), form.city.data, form.kind.data,
                                         form.period.data, _mechanism_choices(form.mechanism))
        except DomainError as refusal:
            error = refused(refusal)
    return render_template("report.html", form=form, report=report, error=error)


@bp.get("/desk/reports/file")
def city_report_file():
    """The same report as a CSV or XLSX file."""
    form = _report_form()
    asked = request.args.get("format")
    file_format = wanted_format(asked if asked in tables.FILE_FORMATS else None,
                                offered=tables.FILE_FORMATS, default="csv")
    report = reports.city_report(page_user(), form.city.data, form.kind.data, form.period.data,
                                 _mechanism_choices(form.mechanism))
    return attachment(reports.report_file(report, file_format))


def _report_form() -> ReportQueryForm:
    """The report form from the query string; the first city and this period by default."""
    form = ReportQueryForm(formdata=request.args)
    cities = [d for d in catalogue.all_districts() if d.level == "city"]
    form.city.choices = [SelectChoice(d.code, d.name) for d in cities]
    form.city.data = form.city.data or (cities[0].code if cities else "")
    if form.kind.data not in ("monthly", "quarterly"):
        form.kind.data = "monthly"
    if not form.period.data:
        today = market_day()
        form.period.data = (f"{today:%Y-%m}" if form.kind.data == "monthly"
                            else f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    return form
