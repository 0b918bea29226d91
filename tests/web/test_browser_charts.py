"""In headless Chromium: the flow diagram (the vendored chartjs-chart-sankey on the vendored
Chart.js) and the settlement monitor's weekly chart are drawn, with their figures beside."""

from tests.web.conftest import trade_at
from tests.web.test_browser import chromium, live_server  # noqa: F401 (fixtures)

PAINTED = """(id) => {
    const canvas = document.getElementById(id);
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < pixels.data.length; i += 4) if (pixels.data[i] > 0) painted++;
    return painted;
}"""


def test_the_flow_diagram_and_the_weekly_settlements_are_drawn(chromium, live_server,  # noqa: F811
                                                               world):
    # Carbon sink settles at the match: two completed settlements 宜兴市 → 新吴区 this month.
    trade_at(world, ["60.00", "61.00"], instrument="ECO-CARBON")
    page = chromium.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    failed = []
    page.on("pageerror", lambda error: failed.append(str(error)))
    page.goto(f"{live_server}/login")
    page.fill("#username", "regulator")
    page.fill("#password", "correct-horse-battery")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/desk")

    page.goto(f"{live_server}/desk/flows")
    page.wait_for_function("() => window.Chart && Chart.getChart('flow-chart')")
    assert page.evaluate("() => Chart.getChart('flow-chart').config.type") == "sankey"
    flows = page.evaluate("() => Chart.getChart('flow-chart').data.datasets[0].data")
    assert [(f["from"], f["to"], f["flow"]) for f in flows] == [("s:320282", "b:320214", 121)]
    assert page.evaluate(PAINTED, "flow-chart") > 500, "the flow diagram is blank"
    assert "宜兴市" in page.locator("#flow-rows").inner_text()

    page.goto(f"{live_server}/desk/settlements")
    page.wait_for_function("() => window.Chart && Chart.getChart('settlement-weeks-chart')")
    datasets = page.evaluate(
        "() => Chart.getChart('settlement-weeks-chart').data.datasets"
        ".map(d => [d.label, d.data[d.data.length - 1]])")
    assert ["已完成", 2] in datasets
    assert page.evaluate(PAINTED, "settlement-weeks-chart") > 500
    assert "已完成" in page.locator("#settlement-weeks").inner_text()
    assert failed == []
