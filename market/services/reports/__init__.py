"""Reports: a city's monthly and quarterly report, the district-to-district flows, and files."""

from market.services.reports.city import city_report, flow_matrix, monthly, quarterly
from market.services.reports.files import MEDIA_TYPES, render_report, report_filename

__all__ = [
    "MEDIA_TYPES", "city_report", "flow_matrix", "monthly", "quarterly", "render_report",
    "report_filename",
]
