"""Reading platform exports: each platform's file, built by tests/exportfiles.py from the
documented headers and quirks, reads to exactly the rows worked out by hand below; broken,
unknown, huge and hostile files give one clear line or the right rows."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

import exportfiles as ef
import pytest

from sheetplan.imports.exports import Export, ExportProblem, ExportRow, read_export
from sheetplan.imports.values import YearLess, date_in_name, place_years, read_date, read_number
from sheetplan.labels import text
from sheetplan.model import Platform
from sheetplan.parse import Invalid


def read(path: Path, **kwargs) -> Export:
    return read_export(path, lang=kwargs.pop("lang", "en"), **kwargs)


def problem(path: Path, lang: str = "en") -> str:
    with pytest.raises(ExportProblem) as caught:
        read_export(path, lang=lang)
    message = str(caught.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------------------------------------
# X


def test_x_legacy_tweet_activity(tmp_path):
    export = read(ef.x_tweet_activity_csv(tmp_path))
    assert (export.platform, export.layout, export.per_post, export.cumulative) == (
        Platform.X,
        "x.tweet_activity",
        True,
        False,
    )
    assert export.exported_on == date(2026, 8, 1)  # …_20260701_20260801_en.csv
    zeros = dict.fromkeys(ef.X_LEGACY_ZERO, 0.0)
    first, second, third = export.rows
    assert first == ExportRow(
        2,
        date(2026, 7, 14),
        "1813000000000000001",
        {"impressions": 1203.0, "engagements": 57.0, "engagement rate": 0.0473815461346633,
         "retweets": 4.0, "replies": 2.0, "likes": 31.0, **zeros},
        "Launch day! Meet the planner https://t.co/a1",
    )  # fmt: skip
    # the two-line text is one record (lines 3–4) and its title is the first line
    assert (second.line, second.date, second.title) == (3, date(2026, 7, 20), "Thread: 5 tips")
    assert second.values["impressions"] == 880.0 and second.values["likes"] == 20.0
    assert (third.line, third.date, third.post) == (5, date(2026, 8, 1), "1813000000000000003")
    # the 18 promoted columns hold "-": absent, and not columns of this layout
    assert "promoted impressions" not in export.columns
    assert export.skipped == () and export.unreadable == ()


def test_x_legacy_favorites_is_the_old_name_of_likes(tmp_path):
    export = read(ef.x_tweet_activity_csv(tmp_path, favorites=True))
    assert export.rows[0].values["likes"] == 31.0
    assert export.column_for("Favorites") == "likes"


def test_x_content(tmp_path):
    export = read(ef.x_content_csv(tmp_path))
    assert (export.platform, export.layout, export.per_post) == (Platform.X, "x.content", True)
    assert export.exported_on == date(2026, 7, 31)
    assert export.columns == ef.X_CONTENT_HEADER[4:]
    assert [(r.line, r.date, r.post) for r in export.rows] == [
        (2, date(2026, 7, 14), "1944000000000000001"),
        (3, date(2026, 7, 20), "1944000000000000002"),
        (5, date(2026, 7, 31), "1944000000000000003"),
    ]
    assert export.rows[0].values == {
        "Impressions": 1234.0, "Likes": 56.0, "Engagements": 98.0, "Bookmarks": 7.0,
        "Shares": 3.0, "New follows": 2.0, "Replies": 4.0, "Reposts": 5.0,
        "Profile visits": 11.0, "Detail Expands": 9.0, "URL Clicks": 6.0, "Hashtag Clicks": 1.0,
        "Permalink Clicks": 0.0,
    }  # fmt: skip
    assert export.rows[2].values["Impressions"] == 2045.0
    assert export.skipped == ((4, "export.skip.no_post"),)


def test_x_content_saved_with_semicolons_by_a_european_excel(tmp_path):
    export = read(ef.x_content_csv(tmp_path, delimiter=";"))
    assert export.layout == "x.content"
    assert export.rows[0].values["Impressions"] == 1234.0
    assert export.rows[0].date == date(2026, 7, 14)  # "Tue, Jul 14, 2026" kept whole


def test_x_account_overview(tmp_path):
    export = read(ef.x_overview_csv(tmp_path))
    assert (export.platform, export.layout, export.per_post) == (Platform.X, "x.overview", False)
    assert [(r.line, r.date, r.post) for r in export.rows] == [
        (2, date(2026, 7, 3), None),
        (3, date(2026, 7, 2), None),
        (4, date(2026, 7, 1), None),
    ]
    assert export.rows[0].values == {
        "Impressions": 2310.0, "Engagements": 120.0, "Likes": 80.0, "Replies": 9.0,
        "Reposts": 12.0, "New follows": 15.0, "Unfollows": 2.0, "Bookmarks": 6.0,
        "Shares": 4.0, "Profile visits": 33.0, "Create Post": 1.0, "Video views": 250.0,
        "Media views": 400.0,
    }  # fmt: skip
    assert export.exported_on == date(2026, 7, 3)  # no date in the name: its last day


def test_as_of_wins_over_the_date_in_the_name(tmp_path):
    export = read(ef.x_content_csv(tmp_path), as_of=date(2026, 8, 2))
    assert export.exported_on == date(2026, 8, 2)


# ---------------------------------------------------------------------------------------------
# Meta


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_facebook_posts_are_dated_by_publish_time_not_lifetime(tmp_path, lang):
    export = read(ef.facebook_posts_csv(tmp_path, lang=lang))
    assert (export.platform, export.layout, export.per_post) == (
        Platform.FACEBOOK,
        "facebook.posts",
        True,
    )
    assert export.exported_on == date(2026, 7, 31)  # Jul-01-2026_Jul-31-2026_….csv
    # the first caption spans lines 2–3
    assert [(r.line, r.date, r.post, r.title) for r in export.rows] == [
        (2, date(2026, 7, 2), "1234567890_1001", "Summer menu is here!"),
        (4, date(2026, 7, 15), "1234567890_1002", "Behind the scenes"),
        (5, date(2026, 7, 27), "1234567890_1003", "Closed on Monday"),
    ]
    assert export.rows[0].values == {
        "Views": 5210.0, "Reach": 3980.0, "Reactions, Comments and Shares": 412.0,
        "Reactions": 350.0, "Comments": 41.0, "Shares": 21.0, "Total clicks": 133.0,
        "Other Clicks": 0.0, "Matched Audience Targeting Consumption (Photo Click)": 0.0,
    }  # fmt: skip
    assert "Total clicks" not in export.rows[2].values  # N/A
    assert export.skipped == ()


def test_facebook_columns_answer_to_their_chinese_and_differently_cased_names(tmp_path):
    export = read(ef.facebook_posts_csv(tmp_path, lang="zh"))
    assert export.column_for("覆盖人数") == "Reach"
    assert export.column_for("reactions, comments and shares") == "Reactions, Comments and Shares"
    assert export.column_for("ＲＥＡＣＨ") == "Reach"


def test_facebook_daily_breakdown_rows_take_their_own_date(tmp_path):
    path = ef.facebook_posts_csv(tmp_path)
    content = path.read_text(encoding="utf-8-sig").replace('"Lifetime"', '"2026-07-20"', 1)
    path.write_text(content, encoding="utf-8-sig")
    assert [r.date for r in read(path).rows] == [
        date(2026, 7, 20),
        date(2026, 7, 15),
        date(2026, 7, 27),
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_instagram_posts_skip_the_summary_row(tmp_path, lang):
    export = read(ef.instagram_posts_csv(tmp_path, lang=lang))
    assert (export.platform, export.layout) == (Platform.INSTAGRAM, "instagram.posts")
    assert [(r.line, r.date, r.post) for r in export.rows] == [
        (2, date(2026, 7, 3), "17890000000000001"),
        (3, date(2026, 7, 18), "17890000000000002"),
        (4, date(2026, 7, 29), "17890000000000003"),
    ]
    assert export.rows[2].values == {
        "Views": 12800.0, "Reach": 9900.0, "Likes": 1020.0, "Shares": 133.0, "Follows": 22.0,
        "Comments": 75.0, "Saves": 140.0,
    }  # fmt: skip
    assert export.skipped == ((5, "export.skip.summary"),)


@pytest.mark.parametrize(
    ("lang", "metric", "platform"),
    [
        ("en", "Facebook follows", Platform.FACEBOOK),
        ("en", "Instagram reach", Platform.INSTAGRAM),
        ("zh", "Facebook 关注", Platform.FACEBOOK),
    ],
)
def test_meta_daily_utf16_with_sep_and_title_lines(tmp_path, lang, metric, platform):
    path = ef.meta_daily_csv(tmp_path, metric=metric, lang=lang)
    assert path.read_bytes()[:2] == b"\xff\xfe"
    export = read(path)
    assert (export.platform, export.layout, export.per_post) == (platform, "meta.daily", False)
    assert export.columns == (metric,)
    assert export.rows == (
        ExportRow(4, date(2025, 8, 1), None, {metric: 3.0}),
        ExportRow(5, date(2025, 8, 4), None, {metric: 1.0}),
        ExportRow(6, date(2025, 8, 9), None, {metric: 2.0}),
    )
    assert export.exported_on == date(2025, 8, 31)
    assert export.column_for(metric.upper()) == metric


# ---------------------------------------------------------------------------------------------
# LinkedIn


def test_linkedin_content_workbook_below_a_description_line(tmp_path):
    path = ef.linkedin_content_xlsx(tmp_path, preamble="Aggregated metrics for your page")
    export = read(path)
    assert (export.platform, export.layout, export.per_post) == (
        Platform.LINKEDIN,
        "linkedin.content",
        False,
    )
    assert [(r.line, r.date) for r in export.rows] == [
        (3, date(2026, 7, 1)),
        (4, date(2026, 7, 2)),
        (5, date(2026, 7, 3)),
    ]
    second = export.rows[1].values
    assert second["Impressions (organic)"] == 1320.0
    assert second["Impressions (sponsored)"] == 200.0
    assert second["Impressions (total)"] == 1520.0
    assert second["Reposts (organic)"] == 2.0
    assert second["Engagement rate (organic)"] == 0.05  # LinkedIn writes rates as fractions
    assert export.exported_on == date(2026, 7, 3)
    assert export.column_for("Shares (organic)") == "Reposts (organic)"  # the older name


def test_linkedin_followers(tmp_path):
    export = read(ef.linkedin_followers_xlsx(tmp_path))
    assert export.layout == "linkedin.followers"
    assert export.rows == (
        ExportRow(2, date(2026, 7, 1), None, {"Sponsored followers": 0.0, "Organic followers": 12.0, "Auto-invited followers": 1.0, "Total followers": 13.0}),
        ExportRow(3, date(2026, 7, 2), None, {"Sponsored followers": 2.0, "Organic followers": 9.0, "Auto-invited followers": 0.0, "Total followers": 11.0}),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# TikTok


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tiktok_overview_year_less_dates_run_back_across_new_year(tmp_path, lang):
    export = read(ef.tiktok_overview_csv(tmp_path, lang=lang))  # modified 2027-01-03
    assert (export.platform, export.layout) == (Platform.TIKTOK, "tiktok.overview")
    assert export.rows == (
        ExportRow(2, date(2026, 12, 30), None, {"Video Views": 1200.0, "Profile Views": 40.0, "Likes": 150.0, "Comments": 12.0, "Shares": 9.0}),
        ExportRow(3, date(2026, 12, 31), None, {"Video Views": 1500.0, "Profile Views": 52.0, "Likes": 180.0, "Comments": 15.0, "Shares": 11.0}),
        ExportRow(4, date(2027, 1, 1), None, {"Video Views": 900.0, "Profile Views": 31.0, "Likes": 101.0, "Comments": 7.0, "Shares": 4.0}),
        ExportRow(5, date(2027, 1, 2), None, {"Video Views": 1100.0, "Profile Views": 36.0, "Likes": 130.0, "Comments": 9.0, "Shares": 6.0}),
    )  # fmt: skip
    assert export.exported_on == date(2027, 1, 2)


def test_tiktok_year_comes_from_as_of_when_given(tmp_path):
    export = read(ef.tiktok_overview_csv(tmp_path), as_of=date(2028, 1, 5))
    assert [r.date for r in export.rows] == [
        date(2027, 12, 30),
        date(2027, 12, 31),
        date(2028, 1, 1),
        date(2028, 1, 2),
    ]
    assert export.exported_on == date(2028, 1, 5)


def test_tiktok_followers_undefined_is_absent(tmp_path):
    export = read(ef.tiktok_followers_csv(tmp_path))
    assert export.layout == "tiktok.followers"
    diff = "Difference in followers from previous day"
    assert export.rows == (
        ExportRow(2, date(2026, 8, 29), None, {"Followers": 1020.0, diff: 5.0}),
        ExportRow(3, date(2026, 8, 30), None, {diff: 3.0}),
        ExportRow(4, date(2026, 8, 31), None, {"Followers": 1031.0, diff: 8.0}),
    )
    assert export.unreadable == ()


def test_tiktok_viewers(tmp_path):
    export = read(ef.tiktok_viewers_csv(tmp_path))
    assert export.layout == "tiktok.viewers"
    assert export.rows == (
        ExportRow(2, date(2026, 8, 30), None, {"Total Viewers": 800.0, "New Viewers": 500.0, "Returning Viewers": 300.0}),
        ExportRow(3, date(2026, 8, 31), None, {"Total Viewers": 950.0, "New Viewers": 610.0, "Returning Viewers": 340.0}),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# YouTube


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_youtube_table_data_skips_the_total_row(tmp_path, lang):
    export = read(ef.youtube_table_csv(tmp_path, lang=lang))
    assert (export.platform, export.layout, export.per_post) == (
        Platform.YOUTUBE,
        "youtube.table",
        True,
    )
    assert export.skipped == ((2, "export.skip.total"),)
    first, second = export.rows
    assert (first.line, first.date, first.post) == (3, date(2026, 7, 14), "dQw4w9WgXcQ")
    assert first.values == {
        "Duration": 634.0,
        "Views": 3200.0,
        "Watch time (hours)": 190.25,
        "Subscribers": 30.0,
        "Average view duration": 214.0,  # 0:03:34 = 3 × 60 + 34 seconds
        "Impressions": 50000.0,
        "Impressions click-through rate (%)": 0.064,  # 6.4 percent points
    }
    assert (second.date, second.values["Average view duration"]) == (date(2026, 7, 28), 197.0)
    assert second.values["Impressions click-through rate (%)"] == 0.0579
    assert export.exported_on == date(2026, 7, 28)


def test_youtube_totals(tmp_path):
    export = read(ef.youtube_totals_csv(tmp_path))
    assert (export.layout, export.per_post) == ("youtube.daily", False)
    assert [(r.date, r.values) for r in export.rows] == [
        (date(2026, 7, 1), {"Views": 180.0}),
        (date(2026, 7, 2), {"Views": 210.0}),
        (date(2026, 7, 3), {"Views": 195.0}),
    ]


def test_a_date_and_views_csv_is_youtube_only_by_its_file_name(tmp_path):
    path = ef.youtube_totals_csv(tmp_path / "views.csv")
    assert "not a platform export" in problem(path)


# ---------------------------------------------------------------------------------------------
# WeChat


@pytest.mark.parametrize("build", [ef.wechat_growth_xlsx, ef.wechat_growth_csv])
def test_wechat_user_growth(tmp_path, build):
    export = read(build(tmp_path))
    assert (export.platform, export.layout, export.per_post) == (
        Platform.WECHAT,
        "wechat.growth",
        False,
    )
    assert export.rows == (
        ExportRow(2, date(2026, 7, 1), None, {"新关注人数": 35.0, "取消关注人数": 4.0, "净增关注人数": 31.0, "累积关注人数": 10031.0}),
        ExportRow(3, date(2026, 7, 2), None, {"新关注人数": 28.0, "取消关注人数": 6.0, "净增关注人数": 22.0, "累积关注人数": 10053.0}),
        ExportRow(4, date(2026, 7, 3), None, {"新关注人数": 40.0, "取消关注人数": 3.0, "净增关注人数": 37.0, "累积关注人数": 10090.0}),
    )  # fmt: skip
    assert export.column_for("New followers") == "新关注人数"


def test_wechat_growth_csv_is_gb18030(tmp_path):
    path = ef.wechat_growth_csv(tmp_path)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert read(path).rows[0].values["新关注人数"] == 35.0


def test_wechat_articles(tmp_path):
    export = read(ef.wechat_articles_xlsx(tmp_path))
    assert (export.layout, export.per_post) == ("wechat.articles", True)
    assert export.exported_on == date(2026, 7, 31)
    first, second = export.rows
    assert first == ExportRow(
        2,
        date(2026, 7, 2),
        "夏季新品上市",
        {"送达人数": 10020.0, "图文页阅读人数": 1830.0, "图文页阅读次数": 2204.0,
         "原文页阅读人数": 55.0, "原文页阅读次数": 61.0, "分享转发人数": 120.0,
         "分享转发次数": 150.0, "微信收藏人数": 33.0},
        "夏季新品上市",
    )  # fmt: skip
    assert (second.date, second.post) == (date(2026, 7, 9), "烘焙师的一天")
    assert "分享转发人数" not in second.values  # "-"


# ---------------------------------------------------------------------------------------------
# Douyin, Xiaohongshu: lifetime totals per post, all dated the export day


def test_douyin_works_are_cumulative_and_dated_the_export_day(tmp_path):
    export = read(ef.douyin_works_xlsx(tmp_path))  # modified 2026-07-31
    assert (export.platform, export.layout, export.per_post, export.cumulative) == (
        Platform.DOUYIN,
        "douyin.works",
        True,
        True,
    )
    assert export.exported_on == date(2026, 7, 31)
    first, second, third = export.rows
    assert first == ExportRow(
        2,
        date(2026, 7, 31),
        "夏日冰咖啡教程",
        {"播放量": 12000.0, "完播率": 0.125, "5s完播率": 0.352, "封面点击率": 0.081,
         "2s跳出率": 0.403, "平均播放时长": 8.5, "点赞量": 860.0, "分享量": 45.0, "评论量": 38.0,
         "收藏量": 120.0, "主页访问量": 66.0, "粉丝增量": 21.0},
        "夏日冰咖啡教程",
    )  # fmt: skip
    assert (second.post, second.values["平均播放时长"], second.values["2s跳出率"]) == (
        "烘焙师的一天",
        7.0,
        0.44,
    )
    # under review: every metric "-"
    assert (third.line, third.post, third.values) == (4, "周末快闪活动", {})


def test_douyin_as_of_dates_every_row(tmp_path):
    export = read(ef.douyin_works_xlsx(tmp_path), as_of=date(2026, 8, 7))
    assert {r.date for r in export.rows} == {date(2026, 8, 7)}


def test_douyin_posts_sharing_a_title_are_told_apart_by_publish_time(tmp_path):
    rows = [
        ("夏日冰咖啡教程", "2026-07-02 18:00", "视频", "已通过", 100, "", "", "", "", "", 1, 0, 0, 0, 0, 0),
        ("夏日冰咖啡教程", "2026-07-20 19:00", "图文", "已通过", 50, "", "", "", "", "", 2, 0, 0, 0, 0, 0),
        ("烘焙师的一天", "2026-07-10 12:30", "视频", "已通过", 70, "", "", "", "", "", 3, 0, 0, 0, 0, 0),
    ]  # fmt: skip
    export = read(ef.douyin_works_xlsx(tmp_path, rows=rows))
    assert [(r.post, r.values["播放量"]) for r in export.rows] == [
        ("夏日冰咖啡教程 (2026-07-02 18:00)", 100.0),
        ("夏日冰咖啡教程 (2026-07-20 19:00)", 50.0),
        ("烘焙师的一天", 70.0),
    ]


def test_xiaohongshu_notes(tmp_path):
    export = read(ef.xiaohongshu_notes_xlsx(tmp_path))
    assert (export.platform, export.layout, export.cumulative) == (
        Platform.XIAOHONGSHU,
        "xiaohongshu.notes",
        True,
    )
    assert export.rows == (
        ExportRow(2, date(2026, 7, 31), "夏日冰咖啡｜三步做出店里的味道", {"观看量": 23000.0, "点赞": 1500.0, "收藏": 820.0, "评论": 96.0, "分享": 45.0, "人均观看时长": 12.3, "涨粉": 88.0}, "夏日冰咖啡｜三步做出店里的味道"),
        ExportRow(3, date(2026, 7, 31), "咖啡豆怎么选？新手指南", {"观看量": 8600.0, "点赞": 640.0, "收藏": 910.0, "评论": 55.0, "分享": 30.0, "涨粉": 35.0}, "咖啡豆怎么选？新手指南"),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Files that cannot be read


def test_unknown_csv_names_its_columns_and_the_platforms(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Name,Email,Phone,City\nAda,ada@example.com,1,London\n", encoding="utf-8")
    assert problem(path) == (
        "export.csv: not a platform export sheetplan knows (columns: Name, Email, Phone, City); "
        "supported: X, Facebook, Instagram, LinkedIn, TikTok, YouTube, WeChat, Douyin, "
        "Xiaohongshu. Import the file as the platform saved it, or check that it is an "
        "analytics export."
    )


def test_unknown_file_lists_eight_columns_at_most(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"C{n}" for n in range(1, 12)) + "\n1,2\n", encoding="utf-8")
    assert "(columns: C1, C2, C3, C4, C5, C6, C7, C8, …)" in problem(path)


def test_unknown_message_in_chinese(tmp_path):
    path = tmp_path / "导出.csv"
    path.write_text("姓名,城市\n张三,上海\n", encoding="utf-8")
    assert problem(path, "zh").startswith(
        "导出.csv：不是 sheetplan 认识的平台导出文件（列：姓名, 城市）"
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n", b"\xff\xfe"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "Overview.csv"
    path.write_bytes(content)
    assert problem(path) == "Overview.csv: the file is empty; download the export again."


def test_header_only_reads_to_no_rows(tmp_path):
    export = read(ef.x_content_csv(tmp_path, rows=[]))
    assert (export.layout, export.rows, export.exported_on) == ("x.content", (), date(2026, 7, 31))


def test_latin1_bytes_that_are_not_gb18030_either(tmp_path):
    path = tmp_path / "Overview.csv"
    path.write_bytes("Date,Video Views\nAugust 31,12\nCafé, 3\n".encode("latin-1"))
    assert problem(path) == (
        "Overview.csv › line 3: the text is not UTF-8, UTF-16 or GB18030; download the export "
        "again, or save it as “CSV UTF-8”."
    )


def test_binary_file(tmp_path):
    path = tmp_path / "Overview.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert problem(path) == (
        "Overview.csv: not a CSV or Excel file (it holds binary data); import the CSV or .xlsx "
        "the platform exported."
    )


def test_damaged_workbook(tmp_path):
    path = tmp_path / "作品数据.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert problem(path).startswith("作品数据.xlsx: cannot be opened (")


def test_workbook_named_csv_is_read_as_a_workbook(tmp_path):
    path = ef.douyin_works_xlsx(tmp_path / "作品数据.csv")
    assert read(path).layout == "douyin.works"


# ---------------------------------------------------------------------------------------------
# Hostile cells: formulas and injection strings stay text


def test_injection_strings_stay_text_and_are_not_numbers(tmp_path):
    rows = [
        ("1944000000000000009", "Tue, Jul 14, 2026", '=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "=1+1", *["0"] * 10),
    ]  # fmt: skip
    export = read(ef.x_content_csv(tmp_path, rows=rows))
    (row,) = export.rows
    assert row.title == '=HYPERLINK("http://evil.example","click")'
    assert "Impressions" not in row.values and "Likes" not in row.values
    assert row.values["Bookmarks"] == 0.0
    assert export.unreadable == (
        (2, "Impressions", "+cmd|' /C calc'!A0"),
        (2, "Likes", "@SUM(1+1)"),
        (2, "Engagements", "=1+1"),
    )


def test_injection_title_in_a_workbook_is_the_post_key_as_text(tmp_path):
    rows = [
        (
            '=HYPERLINK("http://evil.example")',
            "2026-07-02 18:00",
            "视频",
            "已通过",
            "-cmd",
            *["-"] * 11,
        )
    ]
    export = read(ef.douyin_works_xlsx(tmp_path, rows=rows))
    (row,) = export.rows
    assert row.post == row.title == '=HYPERLINK("http://evil.example")'
    assert row.values == {}
    assert export.unreadable == ((2, "播放量", "-cmd"),)


# ---------------------------------------------------------------------------------------------
# A 50 MB export is streamed: memory follows the rows kept, not the bytes read


def _peak_reading(path: Path) -> tuple[int, Export]:
    tracemalloc.start()
    try:
        export = read(path)
        return tracemalloc.get_traced_memory()[1], export
    finally:
        tracemalloc.stop()


def test_a_50_mb_export_is_read_in_bounded_memory(tmp_path):
    count = 10_000
    small_caption = "Short caption"
    big_caption = "Our longest story yet. " * 220 + "\n"  # 5 KB a post
    post = ("", "07/02/2026 09:15", "5,210", "3,980", "412", "350", "41", "21", "133")
    rows_small = [(f"1234567890_{n}", post[0], small_caption, *post[1:]) for n in range(count)]
    rows_big = [(f"1234567890_{n}", post[0], big_caption, *post[1:]) for n in range(count)]
    small = ef.facebook_posts_csv(tmp_path / "Jul-01-2026_Jul-31-2026_small.csv", rows=rows_small)
    big = ef.facebook_posts_csv(tmp_path / "Jul-01-2026_Jul-31-2026_big.csv", rows=rows_big)
    del rows_small, rows_big
    size = big.stat().st_size
    assert size > 50_000_000
    peak_small, export_small = _peak_reading(small)
    peak_big, export_big = _peak_reading(big)
    assert len(export_big.rows) == len(export_small.rows) == count
    assert export_big.rows[-1].values["Views"] == 5210.0
    # 45 MB more text costs at most 2 MB more memory: captions are read one record at a time
    assert peak_big - peak_small < 2_000_000
    assert peak_big < size / 5


# ---------------------------------------------------------------------------------------------
# Values and dates, table-driven


@pytest.mark.parametrize(
    ("cell", "points", "expected"),
    [
        ("1,234", False, 1234.0),
        ("1203.0", False, 1203.0),
        (1203.0, False, 1203.0),
        ("9.34%", False, 0.0934),
        ("9.34%", True, 0.0934),
        ("6.14", True, 0.0614),
        (5.79, True, 0.0579),
        ("1.2万", False, 12000.0),
        ("3亿", False, 300_000_000.0),
        ("-", False, None),
        ("N/A", False, None),
        ("undefined", False, None),
        ("", False, None),
        (None, False, None),
        ("0:03:26", False, 206.0),
        ("1:02:03", False, 3723.0),
        ("3:05", False, 185.0),
        ("8.5秒", False, 8.5),
        ("1分30秒", False, 90.0),
        ("12s", False, 12.0),
        ("-3", False, -3.0),
        ("２０％", False, 0.2),
    ],
)
def test_export_numbers(cell, points, expected):
    assert read_number(cell, points=points) == expected


@pytest.mark.parametrize("cell", ["=SUM(A1:A3)", "+cmd", "@SUM(1)", "views", "1,20"])
def test_export_cells_that_are_not_numbers(cell):
    assert isinstance(read_number(cell), Invalid)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-08-01T00:00:00", date(2025, 8, 1)),
        ("09/28/2026 18:12", date(2026, 9, 28)),
        ("07/02/2026", date(2026, 7, 2)),
        ("28/09/2026", date(2026, 9, 28)),
        ("2020-02-10 18:00 +0000", date(2020, 2, 10)),
        ("Tue, Jul 14, 2026", date(2026, 7, 14)),
        ("Jul 14, 2026", date(2026, 7, 14)),
        ("July 14, 2026", date(2026, 7, 14)),
        ("2026年7月14日", date(2026, 7, 14)),
        ("2026/07/14", date(2026, 7, 14)),
        ("20260714", date(2026, 7, 14)),
        (46217.0, date(2026, 7, 14)),
        (20260714, date(2026, 7, 14)),
        ("August 31", YearLess(8, 31)),
        ("January 1", YearLess(1, 1)),
        ("12月30日", YearLess(12, 30)),
        ("Lifetime", None),
        ("整个期间", None),
        ("Total", None),
        ("", None),
        ("February 30", None),
        ("2026-02-30", None),
        (3.0, None),
    ],
)
def test_export_dates(cell, expected):
    assert read_date(cell) == expected


def test_year_less_days_take_the_latest_year_not_after_the_export_day():
    days = [YearLess(12, 30), YearLess(1, 2), YearLess(2, 29)]
    assert place_years(days, date(2027, 1, 3)) == [
        date(2026, 12, 30),
        date(2027, 1, 2),
        date(2024, 2, 29),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("account_analytics_content_2026-07-01_2026-07-31.csv", date(2026, 7, 31)),
        ("tweet_activity_metrics_sheetplan_20260701_20260801_en.csv", date(2026, 8, 1)),
        ("Feb-01-2026_Feb-28-2026_2260327001369726.csv", date(2026, 2, 28)),
        ("sheetplan_content_1785456000000.xlsx", None),
        ("Overview.csv", None),
    ],
)
def test_dates_in_file_names(name, expected):
    assert date_in_name(name) == expected


def test_every_skip_reason_and_layout_has_both_languages():
    from sheetplan.imports.profiles import profiles

    for layout in (p.layout for p in profiles()):
        assert text(f"export.layout.{layout}", "en") and text(f"export.layout.{layout}", "zh")
    for reason in ("total", "summary", "no_date", "no_post"):
        assert text(f"export.skip.{reason}", "zh") != text(f"export.skip.{reason}", "en")


# ---------------------------------------------------------------------------------------------
# Smaller layouts, written inline


def test_youtube_chart_data_is_per_video_per_day(tmp_path):
    path = tmp_path / "Chart data.csv"
    path.write_text(
        "Date,Content,Video title,Video publish time,Duration,Views\n"
        '2026-07-14,dQw4w9WgXcQ,How we roast coffee,"Jul 14, 2026",634,1200\n'
        '2026-07-15,dQw4w9WgXcQ,How we roast coffee,"Jul 14, 2026",634,800\n',
        encoding="utf-8-sig",
    )
    export = read(path)
    assert (export.layout, export.per_post) == ("youtube.chart", True)
    assert [(r.date, r.post, r.values["Views"]) for r in export.rows] == [
        (date(2026, 7, 14), "dQw4w9WgXcQ", 1200.0),
        (date(2026, 7, 15), "dQw4w9WgXcQ", 800.0),
    ]


def test_linkedin_visitors(tmp_path):
    path = tmp_path / "sheetplan_visitors_1785456000000.csv"
    path.write_text(
        "Date,Total page views (desktop),Total page views (mobile),Total page views (total),"
        "Total unique visitors (desktop),Total unique visitors (mobile),Total unique visitors (total)\n"
        "07/01/2026,40,25,65,30,20,48\n",
        encoding="utf-8",
    )
    export = read(path)
    assert export.layout == "linkedin.visitors"
    assert export.rows[0].values["Total page views (total)"] == 65.0
    assert export.rows[0].values["Total unique visitors (total)"] == 48.0


def test_wechat_reads_by_day(tmp_path):
    path = tmp_path / "图文群发.csv"
    path.write_text(
        '日期,图文页阅读人数,图文页阅读次数,分享转发人数\n2026-07-01,"1,830","2,204",55\n',
        encoding="utf-8",
    )
    export = read(path)
    assert (export.platform, export.layout) == (Platform.WECHAT, "wechat.reads")
    assert export.rows == (
        ExportRow(2, date(2026, 7, 1), None, {"图文页阅读人数": 1830.0, "图文页阅读次数": 2204.0, "分享转发人数": 55.0}),
    )  # fmt: skip


@pytest.mark.parametrize("first", ["Number of posts", "Total count", "Average", "平均值"])
def test_meta_summary_rows_are_skipped(tmp_path, first):
    rows = [*ef.INSTAGRAM_ROWS[:1], (first, "", "", "", "3", "", "", "", "", "", "")]
    export = read(ef.instagram_posts_csv(tmp_path, rows=rows))
    assert [r.post for r in export.rows] == ["17890000000000001"]
    assert export.skipped == ((3, "export.skip.summary"),)


def test_a_formula_cell_in_a_workbook_is_never_evaluated(tmp_path):
    from workbooks import write_workbook

    path = tmp_path / "作品数据.xlsx"
    header = list(ef.DOUYIN_HEADER)
    row = ["夏日冰咖啡教程", "2026-07-02 18:00", "视频", "已通过", "=1+1", *[""] * 11]
    write_workbook(path, {"作品数据": [header, row]}, formulas=True)  # saved with no result
    export = read(path, as_of=date(2026, 7, 31))
    assert export.rows[0].values == {}
    assert export.unreadable == ()


def test_workbook_date_cells_and_serial_numbers(tmp_path):
    rows = [(date(2026, 7, 1), 35, 4, 31, 10031), (46205.0, 28, 6, 22, 10053)]  # 46205 = 2026-07-02
    export = read(ef.wechat_growth_xlsx(tmp_path, rows=rows))
    assert [r.date for r in export.rows] == [date(2026, 7, 1), date(2026, 7, 2)]
