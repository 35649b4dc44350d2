"""The same plan typed the English way and the Chinese way reads to identical records (issue 3, #4)."""

from datetime import date

from sheetplan.api import load_plan

from workbooks import write_workbook

D = date


def english_plan():
    """Typed the way Excel stores it: real dates, numbers, fractions."""
    return {
        "Settings": [
            ["Key", "Value"],
            ["Plan name", "H2 social"],
            ["Plan start", D(2026, 7, 1)],
            ["As-of date", D(2026, 9, 15)],
            ["Total budget", 50000],
            ["Currency", "CNY"],
            ["On-track tolerance", 0.1],
            ["Score scale", "1-5"],
        ],
        "Goals": [
            ["ID", "Company goal ID", "Category", "Goal", "Owner", "Start", "Due", "Weight"],
            ["G1", None, "Awareness", "Brand buzz", "李雷", D(2026, 3, 1), D(2026, 12, 31), 60],
            ["G2", None, "Conversion", "Sales", "韩梅梅", D(2026, 3, 1), D(2026, 12, 1), 40],
        ],
        "KPIs": [
            [
                "ID",
                "Goal ID",
                "Level",
                "KPI",
                "Unit",
                "Baseline",
                "Target",
                "Start",
                "Aggregation",
                "Stretch",
            ],
            [
                "K1",
                "G1",
                "Strategic",
                "Followers",
                "count",
                1200,
                5000,
                D(2026, 3, 1),
                "latest",
                6000,
            ],
            ["K2", "G2", "Conversion", "Orders", "count", 0, 300, D(2026, 3, 1), "sum", None],
            [
                "K3",
                "G1",
                "Execution",
                "Reply time",
                "minutes",
                60,
                15,
                D(2026, 3, 1),
                "average",
                None,
            ],
        ],
        "Tactics": [
            [
                "ID",
                "Goal ID",
                "Tactic",
                "Value",
                "Complexity",
                "Owner",
                "Start",
                "Due",
                "Status",
                "% complete",
                "Budget",
                "Hours",
            ],
            [
                "T1",
                "G1",
                "KOL live",
                5,
                2,
                "李雷",
                D(2026, 3, 1),
                D(2026, 12, 1),
                "Done",
                1.0,
                5000,
                12,
            ],
            [
                "T2",
                "G2",
                "Coupons",
                4,
                4,
                "韩梅梅",
                D(2026, 3, 1),
                D(2026, 12, 31),
                "In progress",
                0.2,
                1200,
                30,
            ],
        ],
        "Team": [
            ["Name", "Role", "Capacity hours"],
            ["李雷", "Lead", 300],
            ["韩梅梅", "Editor", 1200],
        ],
        "Actuals": [
            ["Date", "KPI ID", "Value", "Channel"],
            [D(2026, 3, 1), "K1", 1500, "Weibo"],
            [D(2026, 3, 1), "K2", 12, "WeChat"],
            [D(2026, 12, 1), "K3", 45, "Weibo"],
        ],
    }


def chinese_plan():
    """The same plan typed by hand in a Chinese workbook: text dates and money, full-width
    digits, Chinese list values, columns in another order, an extra column and sheet."""
    return {
        "说明": [["这是用户自己的工作表"]],
        "设置": [
            ["项目", "值"],
            ["计划名称", "H2 social"],
            ["计划开始", "2026年7月1日"],
            ["统计日期", "２０２６/０９/１５"],
            ["总预算", "¥50,000"],
            ["货币", "人民币"],
            ["正常容差", "10%"],
            ["评分范围", "1–5"],
        ],
        "社媒目标": [
            ["ID", "公司目标ID", "类别", "目标", "负责人", "开始", "截止", "权重", "我的备注"],
            [
                "G1",
                None,
                "品牌认知",
                "Brand buzz",
                "李雷",
                "2026/03/01",
                "2026年12月31日",
                "６０",
                "extra",
            ],
            ["G2", None, "销售转化", "Sales", "韩梅梅", "2026.03.01", "2026-12-01", "40", None],
        ],
        "关键指标": [
            [
                "指标",
                "ID",
                "目标ID",
                "层级",
                "单位",
                "基线",
                "目标值",
                "开始",
                "汇总方式",
                "挑战值",
            ],
            [
                "Followers",
                "K1",
                "G1",
                "战略层",
                "count",
                "1,200",
                "5,000",
                "2026年3月1日",
                "最新值",
                "6000",
            ],
            ["Orders", "K2", "G2", "转化层", "count", "0", "300", "2026/3/1", "累计", None],
            [
                "Reply time",
                "K3",
                "G1",
                "执行层",
                "minutes",
                "６０",
                "15",
                "2026-03-01",
                "平均",
                None,
            ],
        ],
        "策略": [
            [
                "ID",
                "目标ID",
                "策略",
                "价值",
                "复杂度",
                "负责人",
                "开始",
                "截止",
                "状态",
                "完成度",
                "预算",
                "工时",
            ],
            [
                "T1",
                "G1",
                "KOL live",
                "５",
                "2",
                "李雷",
                "2026年3月1日",
                "2026/12/01",
                "已完成",
                "100%",
                "¥5,000",
                "12",
            ],
            [
                "T2",
                "G2",
                "Coupons",
                "4",
                "４",
                "韩梅梅",
                "2026/03/01",
                "2026年12月31日",
                "进行中",
                "20%",
                "￥1,200",
                "３０",
            ],
        ],
        "团队": [
            ["姓名", "角色", "可用工时"],
            ["李雷", "Lead", "300"],
            ["韩梅梅", "Editor", "1,200"],
        ],
        "数据记录": [
            ["日期", "指标ID", "数值", "渠道"],
            ["2026/03/01", "K1", "1,500", "Weibo"],
            ["2026年3月1日", "K2", "１２", "WeChat"],
            ["2026.12.01", "Ｋ３", "45", "Weibo"],
        ],
    }


def test_chinese_typing_reads_to_the_same_records(tmp_path):
    english = load_plan(
        write_workbook(tmp_path / "plan.xlsx", english_plan()), as_of=D(2026, 12, 31)
    )
    chinese = load_plan(
        write_workbook(tmp_path / "计划.xlsx", chinese_plan()), as_of=D(2026, 12, 31)
    )

    assert english.language == "en" and chinese.language == "zh"
    assert chinese.plan == english.plan
    assert [p.code for p in english.problems] == [p.code for p in chinese.problems]
    # spot-check that equality is not vacuous
    tactic = chinese.plan.tactics[1]
    assert (tactic.budget, tactic.percent_complete, tactic.due) == (1200.0, 0.2, D(2026, 12, 31))
    assert chinese.plan.settings.currency == "CNY"
    assert chinese.plan.actuals[2].kpi_id == "K3"


def test_mixed_headers_read_too(tmp_path):
    sheets = english_plan()
    sheets["策略"] = sheets.pop("Tactics")
    sheets["策略"][0] = [
        "ID",
        "目标ID",
        "Tactic",
        "价值",
        "Complexity",
        "负责人",
        "Start",
        "截止",
        "Status",
        "完成度",
        "Budget",
        "工时",
    ]
    mixed = load_plan(write_workbook(tmp_path / "mixed.xlsx", sheets), as_of=D(2026, 12, 31))
    english = load_plan(
        write_workbook(tmp_path / "plan.xlsx", english_plan()), as_of=D(2026, 12, 31)
    )
    assert mixed.plan == english.plan
