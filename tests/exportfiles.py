"""Platform export files written by the tests, from the documented headers and quirks
(shared/research/mail-imports.md part B): one builder per platform and layout.

Each builder takes `path` (a file to write, or a folder to write the platform's usual file
name into) and `rows` (None for the defaults in its docstring) and returns the file written.
Headers marked "unconfirmed" are the platform's Chinese UI words where no public file showed
the exported header; they are aliases in data/exports.json, so a real file that differs only
there still reads.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from workbooks import write_workbook

Row = Sequence[object]


def _target(path: Path, name: str) -> Path:
    path = Path(path)
    return path / name if path.is_dir() else path


def _csv_text(lines: list[Row], *, delimiter: str = ",", quote_all: bool = False) -> str:
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerows(lines)
    return out.getvalue()


def _write(path: Path, content: str, encoding: str, modified: date | None = None) -> Path:
    path.write_bytes(content.encode(encoding))
    if modified is not None:
        stamp = datetime(modified.year, modified.month, modified.day, 12).timestamp()
        os.utime(path, (stamp, stamp))
    return path


def _xlsx(path: Path, sheet: str, lines: list[Row], modified: date | None = None) -> Path:
    write_workbook(path, {sheet: [list(line) for line in lines]}, formulas=False)
    if modified is not None:
        stamp = datetime(modified.year, modified.month, modified.day, 12).timestamp()
        os.utime(path, (stamp, stamp))
    return path


# ---------------------------------------------------------------------------------------------
# X

X_LEGACY_METRICS = (
    "impressions", "engagements", "engagement rate", "retweets", "replies", "likes",
    "user profile clicks", "url clicks", "hashtag clicks", "detail expands", "permalink clicks",
    "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
)  # fmt: skip
X_LEGACY_ZERO = X_LEGACY_METRICS[6:]
"""Written as `0.0` in every default row."""

X_LEGACY_ROWS = [
    ("1813000000000000001", "Launch day! Meet the planner https://t.co/a1", "2026-07-14 18:00 +0000", "1203.0", "57.0", "0.0473815461346633", "4.0", "2.0", "31.0"),
    ("1813000000000000002", "Thread: 5 tips\nfor planning", "2026-07-20 09:30 +0000", "880.0", "40.0", "0.045454545454545456", "1.0", "3.0", "20.0"),
    ("1813000000000000003", "Weekend recap", "2026-08-01 12:00 +0000", "410.0", "12.0", "0.02926829268292683", "0.0", "1.0", "9.0"),
]  # fmt: skip


def x_tweet_activity_csv(
    path: Path, rows: list[Row] | None = None, *, favorites: bool = False
) -> Path:
    """X's legacy tweet activity export, UTF-8 with a BOM; default name
    `tweet_activity_metrics_sheetplan_20260701_20260801_en.csv` (exported on 2026-08-01).

    A row: (Tweet id, Tweet text, time, impressions, engagements, engagement rate, retweets,
    replies, likes); every other metric is `0.0` and the 18 `promoted …` columns are `-`.
    `favorites` writes the older `favorites` header instead of `likes`. Defaults:
    - 1813000000000000001 · "Launch day! Meet the planner https://t.co/a1" · 2026-07-14 18:00 +0000 ·
      1203.0 · 57.0 · 0.0473815461346633 · 4.0 · 2.0 · 31.0
    - 1813000000000000002 · "Thread: 5 tips\\nfor planning" (two lines) · 2026-07-20 09:30 +0000 ·
      880.0 · 40.0 · 0.045454545454545456 · 1.0 · 3.0 · 20.0
    - 1813000000000000003 · "Weekend recap" · 2026-08-01 12:00 +0000 · 410.0 · 12.0 ·
      0.02926829268292683 · 0.0 · 1.0 · 9.0
    """
    path = _target(path, "tweet_activity_metrics_sheetplan_20260701_20260801_en.csv")
    metrics = [("favorites" if m == "likes" and favorites else m) for m in X_LEGACY_METRICS]
    header = ["Tweet id", "Tweet permalink", "Tweet text", "time", *metrics]
    header += [f"promoted {m}" for m in metrics]
    lines: list[Row] = [header]
    for tweet, text, time, *numbers in rows if rows is not None else X_LEGACY_ROWS:
        permalink = f"https://twitter.com/sheetplan/status/{tweet}"
        rest = ["0.0"] * len(X_LEGACY_ZERO) + ["-"] * len(metrics)
        lines.append([tweet, permalink, text, time, *numbers, *rest])
    return _write(path, "\ufeff" + _csv_text(lines), "utf-8")


X_CONTENT_HEADER = (
    "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements",
    "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits",
    "Detail Expands", "URL Clicks", "Hashtag Clicks", "Permalink Clicks",
)  # fmt: skip
X_CONTENT_ROWS = [
    ("1944000000000000001", "Tue, Jul 14, 2026", "Launch day! Meet the planner", "1,234", "56", "98", "7", "3", "2", "4", "5", "11", "9", "6", "1", "0"),
    ("1944000000000000002", "Mon, Jul 20, 2026", "Five tips, one thread", "880", "31", "47", "2", "1", "0", "2", "3", "5", "4", "2", "0", "0"),
    ("", "Wed, Jul 22, 2026", "Deleted post", "12", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"),
    ("1944000000000000003", "Fri, Jul 31, 2026", "Month in review", "2,045", "77", "130", "9", "6", "3", "5", "8", "14", "12", "10", "2", "1"),
]  # fmt: skip


def x_content_csv(path: Path, rows: list[Row] | None = None, *, delimiter: str = ",") -> Path:
    """X's new analytics content export, UTF-8 without BOM; default name
    `account_analytics_content_2026-07-01_2026-07-31.csv` (exported on 2026-07-31).

    A row: (Post id, Date, Post text, then the 13 metrics of X_CONTENT_HEADER from Impressions
    to Permalink Clicks); Post Link is made from the id (empty without one). Defaults, metrics
    in header order:
    - 1944000000000000001 · "Tue, Jul 14, 2026" · "Launch day! Meet the planner" ·
      "1,234" 56 98 7 3 2 4 5 11 9 6 1 0
    - 1944000000000000002 · "Mon, Jul 20, 2026" · "Five tips, one thread" ·
      880 31 47 2 1 0 2 3 5 4 2 0 0
    - (no id) · "Wed, Jul 22, 2026" · "Deleted post" · 12 and zeros — line 4, skipped: no post
    - 1944000000000000003 · "Fri, Jul 31, 2026" · "Month in review" ·
      "2,045" 77 130 9 6 3 5 8 14 12 10 2 1
    """
    path = _target(path, "account_analytics_content_2026-07-01_2026-07-31.csv")
    lines: list[Row] = [X_CONTENT_HEADER]
    for post, day, text, *numbers in rows if rows is not None else X_CONTENT_ROWS:
        link = f"https://x.com/sheetplan/status/{post}" if post else ""
        lines.append([post, day, text, link, *numbers])
    return _write(path, _csv_text(lines, delimiter=delimiter), "utf-8")


X_OVERVIEW_HEADER = (
    "Date", "Impressions", "Engagements", "Likes", "Replies", "Reposts", "New follows",
    "Unfollows", "Bookmarks", "Shares", "Profile visits", "Create Post", "Video views",
    "Media views",
)  # fmt: skip
X_OVERVIEW_ROWS = [
    ("Fri, Jul 3, 2026", "2,310", "120", "80", "9", "12", "15", "2", "6", "4", "33", "1", "250", "400"),
    ("Thu, Jul 2, 2026", "1,980", "95", "61", "7", "8", "11", "1", "3", "2", "27", "0", "198", "310"),
    ("Wed, Jul 1, 2026", "2,500", "140", "90", "12", "15", "19", "3", "8", "5", "41", "2", "0", "0"),
]  # fmt: skip


def x_overview_csv(path: Path, rows: list[Row] | None = None, *, delimiter: str = ",") -> Path:
    """X's account overview export (one row per day, newest first), UTF-8; default name
    `account_overview_analytics.csv` (no date in the name: exported on its last day).

    A row: the 14 columns of X_OVERVIEW_HEADER. Defaults:
    - "Fri, Jul 3, 2026" · "2,310" 120 80 9 12 15 2 6 4 33 1 250 400
    - "Thu, Jul 2, 2026" · "1,980" 95 61 7 8 11 1 3 2 27 0 198 310
    - "Wed, Jul 1, 2026" · "2,500" 140 90 12 15 19 3 8 5 41 2 0 0
    """
    path = _target(path, "account_overview_analytics.csv")
    lines = [X_OVERVIEW_HEADER, *(rows if rows is not None else X_OVERVIEW_ROWS)]
    return _write(path, _csv_text(lines, delimiter=delimiter), "utf-8")


# ---------------------------------------------------------------------------------------------
# Meta (Facebook, Instagram)

FACEBOOK_HEADER = {
    "en": (
        "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)",
        "Publish time", "Caption type", "Permalink", "Is crosspost", "Is share", "Post type",
        "Languages", "Custom labels", "Funded content status", "Data comment", "Date", "Views",
        "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
        "Total clicks", "Other Clicks", "Matched Audience Targeting Consumption (Photo Click)",
    ),
    # unconfirmed: Meta Business Suite's Simplified Chinese UI words
    "zh": (
        "帖子编号", "公共主页编号", "公共主页名称", "标题", "说明", "时长（秒）", "发布时间",
        "字幕类型", "永久链接", "是否为交叉发布", "是否为分享", "帖子类型", "语言", "自定义标签",
        "赞助内容状态", "数据备注", "日期", "浏览次数", "覆盖人数", "心情、评论和分享", "心情",
        "评论", "分享", "总点击量", "其他点击量",
        "Matched Audience Targeting Consumption (Photo Click)",
    ),
}  # fmt: skip
LIFETIME = {"en": "Lifetime", "zh": "整个期间"}
FACEBOOK_ROWS = [
    ("1234567890_1001", "", "Summer menu is here!\nCome try it.", "07/02/2026 09:15", "5,210", "3,980", "412", "350", "41", "21", "133"),
    ("1234567890_1002", "Behind the scenes", "Our roaster at work", "07/15/2026 18:12", "2,004", "1,650", "98", "80", "12", "6", "47"),
    ("1234567890_1003", "", "Closed on Monday", "07/27/2026 07:00", "640", "600", "15", "15", "0", "0", "N/A"),
]  # fmt: skip


def facebook_posts_csv(path: Path, rows: list[Row] | None = None, *, lang: str = "en") -> Path:
    """Meta Business Suite's Facebook post export, UTF-8 with a BOM, every cell quoted, Date
    `Lifetime` (zh: 整个期间, unconfirmed) and Publish time MM/DD/YYYY HH:MM; default name
    `Jul-01-2026_Jul-31-2026_1234567890.csv` (exported on 2026-07-31). `lang="zh"`: the
    Chinese headers (unconfirmed).

    A row: (Post ID, Title, Description, Publish time, Views, Reach, Reactions Comments and
    Shares, Reactions, Comments, Shares, Total clicks); Page 1234567890 "Sheetplan Cafe",
    Caption type N/A, Other Clicks 0. Defaults:
    - 1234567890_1001 · "" · "Summer menu is here!\\nCome try it." · 07/02/2026 09:15 ·
      "5,210" "3,980" 412 350 41 21 133
    - 1234567890_1002 · "Behind the scenes" · "Our roaster at work" · 07/15/2026 18:12 ·
      "2,004" "1,650" 98 80 12 6 47
    - 1234567890_1003 · "" · "Closed on Monday" · 07/27/2026 07:00 · 640 600 15 15 0 0 N/A
    """
    path = _target(path, "Jul-01-2026_Jul-31-2026_1234567890.csv")
    lines: list[Row] = [FACEBOOK_HEADER[lang]]
    for post, title, text, published, *numbers in rows if rows is not None else FACEBOOK_ROWS:
        lines.append([
            post, "1234567890", "Sheetplan Cafe", title, text, "", published, "N/A",
            f"https://www.facebook.com/{post}", "No", "No", "Photos", "", "", "", "",
            LIFETIME[lang], *numbers, "0", "0",
        ])  # fmt: skip
    return _write(path, "\ufeff" + _csv_text(lines, quote_all=True), "utf-8")


INSTAGRAM_HEADER = {
    "en": (
        "Post ID", "Account ID", "Account username", "Account name", "Description",
        "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date",
        "Views", "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
    ),
    # unconfirmed
    "zh": (
        "帖子编号", "账户编号", "账户用户名", "账户名称", "说明", "时长（秒）", "发布时间",
        "永久链接", "帖子类型", "数据备注", "日期", "浏览次数", "覆盖人数", "赞", "分享", "关注",
        "评论", "收藏",
    ),
}  # fmt: skip
INSTAGRAM_ROWS = [
    ("17890000000000001", "New drop #cafe", "07/03/2026 12:00", "IG image", "3,400", "2,100", "210", "14", "3", "18", "25"),
    ("17890000000000002", "Carousel: how we roast", "07/18/2026 20:30", "IG carousel", "5,600", "3,050", "388", "40", "9", "27", "61"),
    ("17890000000000003", "Reel: latte art", "07/29/2026 08:05", "IG reel", "12,800", "9,900", "1,020", "133", "22", "75", "140"),
    ("Average", "", "", "", "7,266.67", "5,016.67", "539.33", "62.33", "11.33", "40", "75.33"),
]  # fmt: skip


def instagram_posts_csv(path: Path, rows: list[Row] | None = None, *, lang: str = "en") -> Path:
    """Meta Business Suite's Instagram post export, UTF-8 with a BOM, Date `Lifetime`; default
    name `Jul-01-2026_Jul-31-2026_17841400000000000.csv` (exported on 2026-07-31).

    A row: (Post ID, Description, Publish time, Post type, Views, Reach, Likes, Shares,
    Follows, Comments, Saves); account 17841400000000000 "sheetplan.cafe". Defaults:
    - 17890000000000001 · "New drop #cafe" · 07/03/2026 12:00 · IG image ·
      "3,400" "2,100" 210 14 3 18 25
    - 17890000000000002 · "Carousel: how we roast" · 07/18/2026 20:30 · IG carousel ·
      "5,600" "3,050" 388 40 9 27 61
    - 17890000000000003 · "Reel: latte art" · 07/29/2026 08:05 · IG reel ·
      "12,800" "9,900" "1,020" 133 22 75 140
    - "Average" summary row (no publish time) — line 5, skipped: summary row
    """
    path = _target(path, "Jul-01-2026_Jul-31-2026_17841400000000000.csv")
    lines: list[Row] = [INSTAGRAM_HEADER[lang]]
    for post, text, published, kind, *numbers in rows if rows is not None else INSTAGRAM_ROWS:
        account = (
            ("17841400000000000", "sheetplan.cafe", "Sheetplan Cafe") if published else ("",) * 3
        )
        permalink = f"https://www.instagram.com/p/{post[-6:]}/" if published else ""
        lines.append([
            post, *account, text, "", published, permalink, kind, "",
            LIFETIME[lang] if published else "", *numbers,
        ])  # fmt: skip
    return _write(path, "\ufeff" + _csv_text(lines), "utf-8")


META_DAILY_ROWS = [("2025-08-01T00:00:00", "3"), ("2025-08-04T00:00:00", "1"), ("2025-08-09T00:00:00", "2")]  # fmt: skip


def meta_daily_csv(
    path: Path, rows: list[Row] | None = None, *, metric: str | None = None, lang: str = "en"
) -> Path:
    """Meta Business Suite's per-metric daily export: UTF-16LE with a BOM, a `sep=,` line, a
    title line naming the metric, then `"Date","Primary"` (zh: 日期, 主要 — unconfirmed);
    default name `Aug-01-2025_Aug-31-2025_1234567890.csv` (exported on 2025-08-31).

    `metric`: the title (default "Facebook follows"; zh "Facebook 关注"). Only days with a value
    are listed. Defaults: 2025-08-01T00:00:00 → 3 · 2025-08-04T00:00:00 → 1 ·
    2025-08-09T00:00:00 → 2 (lines 4–6).
    """
    path = _target(path, "Aug-01-2025_Aug-31-2025_1234567890.csv")
    metric = metric or ("Facebook 关注" if lang == "zh" else "Facebook follows")
    header = ("日期", "主要") if lang == "zh" else ("Date", "Primary")
    body = _csv_text(
        [(metric,), header, *(rows if rows is not None else META_DAILY_ROWS)], quote_all=True
    )
    return _write(path, "\ufeffsep=,\n" + body, "utf-16-le")


# ---------------------------------------------------------------------------------------------
# LinkedIn

LINKEDIN_CONTENT_ROWS = [
    ("07/01/2026", 1500, 0, 1100, 30, 45, 6, 3, 0.056),
    ("07/02/2026", 1320, 200, 990, 22, 38, 4, 2, 0.05),
    ("07/03/2026", 980, 0, 760, 15, 20, 1, 0, 0.0367),
]  # fmt: skip


def linkedin_content_xlsx(
    path: Path, rows: list[Row] | None = None, *, preamble: str | None = None
) -> Path:
    """A LinkedIn Page content export (LinkedIn writes .xls; this writes the same sheet as
    .xlsx, which calamine reads alike), sheet "Metrics", dates as MM/DD/YYYY text; default name
    `sheetplan_content_1785456000000.xlsx` (no date: exported on its last day). `preamble`:
    a description line above the header (unconfirmed whether LinkedIn writes one).

    A row: (Date, Impressions organic, Impressions sponsored, Unique impressions organic,
    Clicks organic, Reactions organic, Comments organic, Reposts organic, Engagement rate
    organic); sponsored clicks, reactions, comments and reposts are 0, totals are organic +
    sponsored, engagement rate sponsored 0 and total = organic. Defaults:
    - 07/01/2026 · 1500 0 1100 30 45 6 3 0.056
    - 07/02/2026 · 1320 200 990 22 38 4 2 0.05
    - 07/03/2026 · 980 0 760 15 20 1 0 0.0367
    """
    path = _target(path, "sheetplan_content_1785456000000.xlsx")
    header = ["Date"]
    for name in ("Impressions", "Clicks", "Reactions", "Comments", "Reposts", "Engagement rate"):
        header += [f"{name} (organic)", f"{name} (sponsored)", f"{name} (total)"]
        if name == "Impressions":
            header.append("Unique impressions (organic)")
    lines: list[Row] = [[preamble]] if preamble else []
    lines.append(header)
    for day, imp, imp_s, unique, clicks, reactions, comments, reposts, rate in (
        rows if rows is not None else LINKEDIN_CONTENT_ROWS
    ):
        lines.append([
            day, imp, imp_s, imp + imp_s, unique, clicks, 0, clicks, reactions, 0, reactions,
            comments, 0, comments, reposts, 0, reposts, rate, 0, rate,
        ])  # fmt: skip
    return _xlsx(path, "Metrics", lines)


LINKEDIN_FOLLOWER_ROWS = [("07/01/2026", 0, 12, 1, 13), ("07/02/2026", 2, 9, 0, 11)]


def linkedin_followers_xlsx(path: Path, rows: list[Row] | None = None) -> Path:
    """A LinkedIn Page followers export, sheet "New followers"; default name
    `sheetplan_followers_1785456000000.xlsx`. A row: (Date, Sponsored followers, Organic
    followers, Auto-invited followers, Total followers). Defaults: 07/01/2026 · 0 12 1 13 and
    07/02/2026 · 2 9 0 11."""
    path = _target(path, "sheetplan_followers_1785456000000.xlsx")
    header = [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ]
    return _xlsx(
        path, "New followers", [header, *(rows if rows is not None else LINKEDIN_FOLLOWER_ROWS)]
    )


# ---------------------------------------------------------------------------------------------
# TikTok (dates without a year; the file's modification day stands for the export day)

TIKTOK_OVERVIEW_ROWS = {
    "en": [("December 30", 1200, 40, 150, 12, 9), ("December 31", 1500, 52, 180, 15, 11), ("January 1", 900, 31, 101, 7, 4), ("January 2", 1100, 36, 130, 9, 6)],
    "zh": [("12月30日", 1200, 40, 150, 12, 9), ("12月31日", 1500, 52, 180, 15, 11), ("1月1日", 900, 31, 101, 7, 4), ("1月2日", 1100, 36, 130, 9, 6)],
}  # fmt: skip
TIKTOK_OVERVIEW_HEADER = {
    "en": ("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"),
    "zh": ("日期", "视频观看次数", "主页访问量", "点赞数", "评论数", "分享次数"),  # unconfirmed
}  # fmt: skip


def tiktok_overview_csv(
    path: Path,
    rows: list[Row] | None = None,
    *,
    lang: str = "en",
    exported: date = date(2027, 1, 3),
) -> Path:
    """TikTok Studio's Overview.csv, UTF-8, dates without a year; the file's modification time
    is set to `exported` (default 2027-01-03). `lang="zh"`: Chinese headers and `12月30日`
    dates (unconfirmed). A row: (Date, Video Views, Profile Views, Likes, Comments, Shares).
    Defaults: December 30 · 1200 40 150 12 9 — December 31 · 1500 52 180 15 11 —
    January 1 · 900 31 101 7 4 — January 2 · 1100 36 130 9 6 (so 2026-12-30 … 2027-01-02)."""
    path = _target(path, "Overview.csv")
    lines = [
        TIKTOK_OVERVIEW_HEADER[lang],
        *(rows if rows is not None else TIKTOK_OVERVIEW_ROWS[lang]),
    ]
    return _write(path, _csv_text(lines), "utf-8", exported)


TIKTOK_FOLLOWER_ROWS = [("August 29", "1,020", "5"), ("August 30", "undefined", "3"), ("August 31", "1,031", "8")]  # fmt: skip


def tiktok_followers_csv(
    path: Path, rows: list[Row] | None = None, *, exported: date = date(2026, 9, 1)
) -> Path:
    """TikTok Studio's FollowerHistory.csv (modified on `exported`, default 2026-09-01). A row:
    (Date, Followers, Difference in followers from previous day). Defaults: August 29 · "1,020"
    · 5 — August 30 · undefined · 3 — August 31 · "1,031" · 8."""
    path = _target(path, "FollowerHistory.csv")
    header = ("Date", "Followers", "Difference in followers from previous day")
    return _write(
        path,
        _csv_text([header, *(rows if rows is not None else TIKTOK_FOLLOWER_ROWS)]),
        "utf-8",
        exported,
    )


TIKTOK_VIEWER_ROWS = [("August 30", 800, 500, 300), ("August 31", 950, 610, 340)]


def tiktok_viewers_csv(
    path: Path, rows: list[Row] | None = None, *, exported: date = date(2026, 9, 1)
) -> Path:
    """TikTok Studio's Viewers.csv (modified on `exported`, default 2026-09-01). A row: (Date,
    Total Viewers, New Viewers, Returning Viewers). Defaults: August 30 · 800 500 300 —
    August 31 · 950 610 340."""
    path = _target(path, "Viewers.csv")
    header = ("Date", "Total Viewers", "New Viewers", "Returning Viewers")
    return _write(
        path,
        _csv_text([header, *(rows if rows is not None else TIKTOK_VIEWER_ROWS)]),
        "utf-8",
        exported,
    )


# ---------------------------------------------------------------------------------------------
# YouTube

YOUTUBE_HEADER = {
    "en": ("Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)", "Subscribers", "Average view duration", "Impressions", "Impressions click-through rate (%)"),
    "zh": ("内容", "视频标题", "视频发布时间", "时长", "观看次数", "观看时长（小时）", "订阅人数", "平均观看时长", "展示次数", "展示次数点击率 (%)"),  # unconfirmed
}  # fmt: skip
YOUTUBE_ROWS = {
    "en": [
        ("Total", "", "", "", 5400, 310.5, 42, "0:03:26", 88000, 6.14),
        ("dQw4w9WgXcQ", "How we roast coffee", "Jul 14, 2026", 634, 3200, 190.25, 30, "0:03:34", 50000, 6.4),
        ("a1B2c3D4e5F", "Latte art in 60 seconds", "Jul 28, 2026", 61, 2200, 120.25, 12, "0:03:17", 38000, 5.79),
    ],
    "zh": [
        ("总计", "", "", "", 5400, 310.5, 42, "0:03:26", 88000, 6.14),
        ("dQw4w9WgXcQ", "咖啡是怎么烘焙的", "2026年7月14日", 634, 3200, 190.25, 30, "0:03:34", 50000, 6.4),
        ("a1B2c3D4e5F", "60 秒学会拉花", "2026年7月28日", 61, 2200, 120.25, 12, "0:03:17", 38000, 5.79),
    ],
}  # fmt: skip


def youtube_table_csv(path: Path, rows: list[Row] | None = None, *, lang: str = "en") -> Path:
    """YouTube Studio's `Table data.csv` (Advanced mode → Export), UTF-8 with a BOM, a Total
    row first; `lang="zh"`: `表格数据.csv` with Chinese headers, 总计 and 2026年7月14日 dates
    (unconfirmed). A row: the 10 columns of YOUTUBE_HEADER. Defaults:
    - Total · 5400 310.5 42 0:03:26 88000 6.14 — line 2, skipped: Total row
    - dQw4w9WgXcQ · "How we roast coffee" · Jul 14, 2026 · 634 3200 190.25 30 0:03:34 50000 6.4
    - a1B2c3D4e5F · "Latte art in 60 seconds" · Jul 28, 2026 · 61 2200 120.25 12 0:03:17 38000 5.79
    """
    path = _target(path, "表格数据.csv" if lang == "zh" else "Table data.csv")
    lines = [YOUTUBE_HEADER[lang], *(rows if rows is not None else YOUTUBE_ROWS[lang])]
    return _write(path, "\ufeff" + _csv_text(lines), "utf-8")


YOUTUBE_TOTALS_ROWS = [("2026-07-01", 180), ("2026-07-02", 210), ("2026-07-03", 195)]


def youtube_totals_csv(path: Path, rows: list[Row] | None = None) -> Path:
    """YouTube Studio's `Totals.csv`: Date, Views per day for the channel. Defaults:
    2026-07-01 · 180 — 2026-07-02 · 210 — 2026-07-03 · 195."""
    path = _target(path, "Totals.csv")
    return _write(
        path,
        _csv_text([("Date", "Views"), *(rows if rows is not None else YOUTUBE_TOTALS_ROWS)]),
        "utf-8",
    )


# ---------------------------------------------------------------------------------------------
# WeChat 公众号

WECHAT_GROWTH_ROWS = [("2026-07-01", 35, 4, 31, 10031), ("2026-07-02", 28, 6, 22, 10053), ("2026-07-03", 40, 3, 37, 10090)]  # fmt: skip
WECHAT_GROWTH_HEADER = ("时间", "新关注人数", "取消关注人数", "净增关注人数", "累积关注人数")


def wechat_growth_xlsx(path: Path, rows: list[Row] | None = None) -> Path:
    """公众号 user growth (用户分析 → 用户增长 → 下载表格), sheet 用户增长, one row per day; default
    name `用户增长.xlsx` (no date: exported on its last day). A row: (时间, 新关注人数, 取消关注人数,
    净增关注人数, 累积关注人数). Defaults: 2026-07-01 · 35 4 31 10031 — 2026-07-02 · 28 6 22 10053 —
    2026-07-03 · 40 3 37 10090."""
    path = _target(path, "用户增长.xlsx")
    return _xlsx(
        path,
        "用户增长",
        [WECHAT_GROWTH_HEADER, *(rows if rows is not None else WECHAT_GROWTH_ROWS)],
    )


def wechat_growth_csv(
    path: Path, rows: list[Row] | None = None, *, encoding: str = "gb18030"
) -> Path:
    """The same table as wechat_growth_xlsx saved as CSV by a Chinese Excel: GB18030, no BOM;
    default name `用户增长.csv`, default rows as wechat_growth_xlsx."""
    path = _target(path, "用户增长.csv")
    lines = [WECHAT_GROWTH_HEADER, *(rows if rows is not None else WECHAT_GROWTH_ROWS)]
    return _write(path, _csv_text(lines), encoding)


WECHAT_ARTICLE_ROWS = [
    ("夏季新品上市", "2026-07-02", 10020, 1830, 2204, 55, 61, 120, 150, 33),
    ("烘焙师的一天", "2026-07-09", 10045, 1210, 1388, 20, 22, "-", 64, 18),
]  # fmt: skip


def wechat_articles_xlsx(path: Path, rows: list[Row] | None = None) -> Path:
    """公众号 articles (内容分析 → 单篇图文 → 导出), one row per article; default name
    `图文分析_2026-07-01_2026-07-31.xlsx` (exported on 2026-07-31). A row: (标题, 发表时间,
    送达人数, 图文页阅读人数, 图文页阅读次数, 原文页阅读人数, 原文页阅读次数, 分享转发人数,
    分享转发次数, 微信收藏人数). Defaults:
    - 夏季新品上市 · 2026-07-02 · 10020 1830 2204 55 61 120 150 33
    - 烘焙师的一天 · 2026-07-09 · 10045 1210 1388 20 22 - 64 18
    """
    path = _target(path, "图文分析_2026-07-01_2026-07-31.xlsx")
    header = (
        "标题",
        "发表时间",
        "送达人数",
        "图文页阅读人数",
        "图文页阅读次数",
        "原文页阅读人数",
        "原文页阅读次数",
        "分享转发人数",
        "分享转发次数",
        "微信收藏人数",
    )
    return _xlsx(path, "单篇图文", [header, *(rows if rows is not None else WECHAT_ARTICLE_ROWS)])


# ---------------------------------------------------------------------------------------------
# Douyin 抖音, Xiaohongshu 小红书 (lifetime totals per post, keyed by title)

DOUYIN_HEADER = ("作品名称", "发布时间", "体裁", "审核状态", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率", "平均播放时长", "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量")  # fmt: skip
DOUYIN_ROWS = [
    ("夏日冰咖啡教程", "2026-07-02 18:00", "视频", "已通过", "1.2万", "12.5%", "35.2%", "8.1%", "40.3%", "8.5秒", 860, 45, 38, 120, 66, 21),
    ("烘焙师的一天", "2026-07-10 12:30", "视频", "已通过", 5400, "9.8%", "30.1%", "6.6%", "44%", "7秒", 310, 12, 20, 41, 25, 6),
    ("周末快闪活动", "2026-07-25 10:00", "视频", "审核中", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"),
]  # fmt: skip


def douyin_works_xlsx(
    path: Path, rows: list[Row] | None = None, *, exported: date = date(2026, 7, 31)
) -> Path:
    """Douyin creator centre's 作品 export (导出数据), lifetime totals per post, sheet 作品数据;
    default name `作品数据.xlsx`, modified on `exported` (default 2026-07-31). A row: the 16
    columns of DOUYIN_HEADER. Defaults:
    - 夏日冰咖啡教程 · 2026-07-02 18:00 · 视频 · 已通过 · 1.2万 12.5% 35.2% 8.1% 40.3% 8.5秒 860 45 38 120 66 21
    - 烘焙师的一天 · 2026-07-10 12:30 · 视频 · 已通过 · 5400 9.8% 30.1% 6.6% 44% 7秒 310 12 20 41 25 6
    - 周末快闪活动 · 2026-07-25 10:00 · 视频 · 审核中 · every metric `-`
    """
    path = _target(path, "作品数据.xlsx")
    return _xlsx(
        path, "作品数据", [DOUYIN_HEADER, *(rows if rows is not None else DOUYIN_ROWS)], exported
    )


XHS_HEADER = (
    "笔记标题",
    "首次发布时间",
    "体裁",
    "观看量",
    "点赞",
    "收藏",
    "评论",
    "分享",
    "人均观看时长",
    "涨粉",
)
XHS_ROWS = [
    ("夏日冰咖啡｜三步做出店里的味道", "2026-07-03 20:00", "视频", "2.3万", 1500, 820, 96, 45, "12.3秒", 88),
    ("咖啡豆怎么选？新手指南", "2026-07-12 09:00", "图文", 8600, 640, 910, 55, 30, "-", 35),
]  # fmt: skip


def xiaohongshu_notes_xlsx(
    path: Path, rows: list[Row] | None = None, *, exported: date = date(2026, 7, 31)
) -> Path:
    """Xiaohongshu creator centre's note export, `汇总笔记列表明细表.xlsx`, lifetime totals per
    note, modified on `exported` (default 2026-07-31). A row: the 10 columns of XHS_HEADER.
    Defaults:
    - 夏日冰咖啡｜三步做出店里的味道 · 2026-07-03 20:00 · 视频 · 2.3万 1500 820 96 45 12.3秒 88
    - 咖啡豆怎么选？新手指南 · 2026-07-12 09:00 · 图文 · 8600 640 910 55 30 - 35
    """
    path = _target(path, "汇总笔记列表明细表.xlsx")
    return _xlsx(
        path, "笔记列表明细", [XHS_HEADER, *(rows if rows is not None else XHS_ROWS)], exported
    )
