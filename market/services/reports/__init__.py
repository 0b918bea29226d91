"""Reports: a city's monthly and quarterly report, the district-to-district flows, and files."""

from market.services.reports.city import city_report, monthly, quarterly
from market.services.reports.files import report_file
from market.services.reports.flows import flow_matrix

__all__ = [
    "city_report", "flow_matrix", "monthly", "quarterly", "report_file",
]
