"""A notice wrapped in a typical Chinese government web page, for tests.

The page carries what real 政府信息公开 article pages carry around a notice:
scripts and styles in the head, a navigation menu, a breadcrumb, an 无障碍浏览
link, a metadata table (索 引 号 / 发布机构 / 成文日期 …), the notice in
``<div class="TRS_Editor">`` with one ``<p>`` per line, a font-size widget,
share and print links, a 上一篇/下一篇 pager, a footer and inline scripts.
Ingesting the page must give back the notice's lines unchanged.
"""

from __future__ import annotations

import html
import re

_HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="区人民政府" />
<meta name="ArticleTitle" content="{title}" />
<title>{title}_区人民政府</title>
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<style type="text/css">
  body {{ font-family: "微软雅黑"; margin: 0; }}
  .TRS_Editor p {{ text-indent: 2em; line-height: 1.8; }}
  .xxgk_table td.label:after {{ content: "："; }}
</style>
<script type="text/javascript" src="/js/jquery.min.js"></script>
<script type="text/javascript">
  var _hmt = _hmt || [];
  var siteName = "区人民政府门户网站"; // 统计代码
  function doZoom(size) {{
    document.getElementById("zoom").style.fontSize = size + "px";
  }}
</script>
</head>
"""

_TOP = """<body>
<div class="top">
  <div class="wrap">
    <a href="javascript:void(0)" id="cniil_wza">无障碍浏览</a>
    <a href="/m/">手机版</a>
    <span class="date"><script>
      document.write(new Date().toLocaleDateString("zh-CN"));
    </script></span>
  </div>
</div>
<header class="header">
  <div class="logo"><img src="/images/logo.png" alt="区人民政府" /></div>
  <form action="/search" method="get"><input name="q" /><button>搜索</button></form>
</header>
<nav class="nav">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/zjxq/">走进本区</a></li>
  </ul>
</nav>
<div class="container">
  <div class="position">您现在的位置：<a href="/">首页</a>
    &gt; <a href="/zwgk/">法定主动公开内容</a> &gt; <a href="/zwgk/jggk/">结果公开</a>
    &gt; <a href="/zwgk/xczg/">巡察整改</a> &gt; 正文</div>
  <div class="sidebar"><h3>相关信息</h3><ul>
    <li><a href="/a/1.html">关于开展巡察整改“回头看”工作的通知</a></li>
    <li><a href="/a/2.html">区委巡察办召开巡察整改推进会</a></li>
  </ul></div>
"""

_ARTICLE_TOP = """  <div class="article">
    <h1 class="title">{title}</h1>
    <div class="tools">字体：[<a href="javascript:doZoom(18)">大</a>
      <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]
      分享到：<a class="share-wx">微信</a> <a class="share-wb">微博</a></div>
"""

_FOOTER = """    <div class="print">【<a href="javascript:window.print()">打印本页</a>】
      【<a href="javascript:window.close()">关闭窗口</a>】</div>
    <div class="pager">
      <p>上一篇：<a href="/a/0.html">区委巡察办2020年工作总结</a></p>
      <p>下一篇：<a href="/a/3.html">关于公布巡察举报电话的公告</a></p>
    </div>
    <div class="qr">扫一扫在手机打开当前页</div>
  </div>
</div>
<footer class="footer">
  <p>主办单位：区人民政府办公室　承办单位：区大数据中心</p>
  <p>网站标识码：3713110001　<a href="http://beian.miit.gov.cn/">鲁ICP备05001234号</a></p>
</footer>
<script type="text/javascript">
  $(function () {{
    $(".share-wx").click(function () {{ alert("请使用微信扫一扫分享"); }});
  }});
</script>
</body>
</html>
"""


def _cell(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraph(line: str) -> str:
    """One notice line as HTML text. Spaces HTML would collapse or trim (leading,
    trailing, runs) are written as &nbsp;, as page editors do for indentation."""
    escaped = html.escape(line, quote=False)
    escaped = re.sub(r"^ +| +$", lambda m: "&nbsp;" * len(m.group()), escaped)
    return re.sub(r" {2,}", lambda m: "&nbsp;" * len(m.group()), escaped)


def _spaced(label: str) -> str:
    """Three-character labels are spread to the width of four: 索 引 号."""
    return "&nbsp;".join(label) if len(label) == 3 else _cell(label)


def _metadata_table(metadata: dict[str, str]) -> str:
    """Two label/value pairs per row, labels spaced out like "索 引 号"."""
    items = list(metadata.items())
    rows = []
    for i in range(0, len(items), 2):
        cells = "".join(
            f'<td class="label">{_spaced(label)}：</td><td>{_cell(value)}</td>'
            for label, value in items[i : i + 2]
        )
        rows.append(f"      <tr>{cells}</tr>")
    body = "\n".join(rows)
    return (
        '    <table class="xxgk_table" cellspacing="0" cellpadding="0">\n'
        f"      <tbody>\n{body}\n      </tbody>\n    </table>\n"
    )


def wrap_in_gov_page(text: str, *, title: str, metadata: dict[str, str]) -> str:
    """`text` as the body of a government article page with `title` in <h1> and
    <title> and `metadata` in the page's 索引号/发布机构 table."""
    paragraphs = "\n".join(
        f"      <p>{_paragraph(line)}</p>" for line in text.split("\n") if line.strip()
    )
    escaped_title = _cell(title)
    return (
        _HEAD.format(title=escaped_title)
        + _TOP
        + _metadata_table(metadata)
        + _ARTICLE_TOP.format(title=escaped_title)
        + '    <div id="zoom" class="article-content">\n'
        + '    <div class="TRS_Editor">\n'
        + paragraphs
        + "\n    </div>\n    </div>\n"
        + _FOOTER.format()
    )
