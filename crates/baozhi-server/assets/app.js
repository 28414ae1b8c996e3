// The baozhi web reader: plain JavaScript over the server's JSON API, with
// hash routes so that it needs no server-side pages:
//
//   #/                          papers and their issues
//   #/issue/{paper}/{date}      an issue's pages, furniture and articles; a
//                               page kept with its picture shows it, its
//                               articles drawn over it as links
//   #/article/{id}              one article, with proofreading suggestions
//   #/search?q=&paper=&from=&to=&offset=&by=
//
// A search for words also charts them over time (`by`: month or year, or
// left to the server): the share of each period's articles that match,
// from /api/trend, drawn as plain SVG.
//
// Text from the archive only ever enters the page as text (append / text
// nodes / textContent), never as HTML. The one exception in spirit, the
// search snippets, are rebuilt from their text and their <b> tags alone.
'use strict';

(function () {
  const main = document.getElementById('main');
  const PAGE_SIZE = 20;
  const ISSUES_PAGE = 100;
  const MAX_OFFSET = 10000;
  const FURNITURE_KINDS = { banner: '通栏', page_header: '版头', label: '栏目', other: '其他' };
  const FINDING_KINDS = {
    glyph: '字形', duplicate: '重复字', omission: '脱漏', repetition: '重复',
    punctuation: '标点', other: '其他',
  };
  const FIELDS = { kicker: '引题', title: '标题', subtitle: '副题', caption: '图片说明', paragraph: '正文' };
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const TREND_BY = { year: '年', month: '月' };
  // The chart's drawing box in SVG units (it scales to the column's
  // width): room on the left for the top share's label, below for the
  // period labels, above so the top label is not cut.
  const CHART = { width: 640, height: 170, left: 44, right: 6, top: 12, bottom: 24 };
  // A bar takes this share of its period's slot; the rest is the gap.
  const BAR_SHARE = 0.8;
  // At most this many period labels under the bars (each `YYYY-MM` label
  // is about 50 units wide at the chart's type size).
  const MAX_PERIOD_LABELS = 8;
  let renderSeq = 0;
  let papersCache = null;

  // --- DOM helpers -------------------------------------------------------

  /** An element with attributes (class, text or any attribute) and children (nodes or text). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else node.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  /** Percent-encodes every UTF-8 byte outside A-Z a-z 0-9 - _ ~, as the archive spells ids. */
  function pctEncode(s) {
    let out = '';
    for (const b of new TextEncoder().encode(String(s))) {
      const c = String.fromCharCode(b);
      out += /[A-Za-z0-9_~-]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    return out;
  }

  /** An SVG element, as h() makes HTML ones. */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      node.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  function safeDecode(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  /** An archive id in the archive's spelling, whatever escaping it came with. */
  function canonicalId(id) {
    return id.split('/').map((part) => pctEncode(safeDecode(part))).join('/');
  }

  const articleHref = (id) => '#/article/' + canonicalId(String(id));
  const issueHref = (paper, date) => '#/issue/' + pctEncode(paper) + '/' + pctEncode(date);
  const pageLabel = (page) => '第 ' + page + ' 版';

  // --- API -----------------------------------------------------------------

  async function api(path) {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error('无法连接服务器');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message = body && typeof body.error === 'string' ? body.error : 'HTTP ' + response.status;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  /** The papers' names (for the search form), asked for once. */
  async function papers() {
    if (!papersCache) {
      const list = await api('/api/papers');
      papersCache = list.papers.map((p) => p.paper);
    }
    return papersCache;
  }

  /**
   * One page of a paper's issues, newest first: /api/issues answers
   * {issues, total, limit, offset}, at most ISSUES_PAGE at a time.
   */
  function issuesPage(paper, offset) {
    const query = new URLSearchParams({ paper, limit: String(ISSUES_PAGE), offset: String(offset) });
    return api('/api/issues?' + query.toString());
  }

  // --- Text with proofreading suggestions ---------------------------------

  /**
   * The text as nodes, each finding's span wrapped as
   * <mark title="evidence">original</mark><ins>suggestion</ins>.
   * Offsets count Unicode code points, so the text is indexed through
   * Array.from (JS strings are UTF-16). Overlapping findings after the
   * first are left out of the text (they are still listed below it).
   */
  function marked(text, findings) {
    const frag = document.createDocumentFragment();
    const chars = Array.from(String(text || ''));
    const usable = (findings || [])
      .filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)
        && f.start >= 0 && f.start <= f.end && f.end <= chars.length)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    let at = 0;
    for (const f of usable) {
      if (f.start < at) continue;
      if (f.start > at) frag.append(chars.slice(at, f.start).join(''));
      const kind = FINDING_KINDS[f.kind] ? f.kind : 'other';
      frag.append(h('mark', { class: 'finding kind-' + kind, title: f.evidence || '' },
        chars.slice(f.start, f.end).join('')));
      if (f.suggestion !== null && f.suggestion !== undefined) {
        frag.append(h('ins', { title: '建议' }, f.suggestion));
      }
      at = f.end;
    }
    if (at < chars.length) frag.append(chars.slice(at).join(''));
    return frag;
  }

  // --- Search snippets ------------------------------------------------------

  const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };

  /**
   * A snippet from the server (escaped text with <b>…</b> around matches),
   * rebuilt as nodes: split on the literal <b> and </b> tags, everything
   * else is text (its entities decoded, any other markup left as visible
   * text), so no other tag or attribute can get through.
   */
  function snippetNodes(html) {
    const frag = document.createDocumentFragment();
    let bold = null;
    for (const part of String(html || '').split(/(<\/?b>)/)) {
      if (part === '<b>') {
        bold = h('b');
        frag.append(bold);
      } else if (part === '</b>') {
        bold = null;
      } else if (part) {
        const text = part.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (m, e) => ENTITIES[e]);
        (bold || frag).append(text);
      }
    }
    return frag;
  }

  // --- Term frequency over time --------------------------------------------

  /** The /api/trend request for a search's text and filters, `by` when chosen. */
  function trendPath(values, by) {
    const query = new URLSearchParams({ q: values.q });
    for (const key of ['paper', 'from', 'to']) if (values[key]) query.set(key, values[key]);
    if (by) query.set('by', by);
    return '/api/trend?' + query.toString();
  }

  const share = (p) => (p.articles ? p.matches / p.articles : 0);
  const percent = (r) => (r * 100).toFixed(1) + '%';

  /** What one period's bar says: its counts, or that it holds no article. */
  function periodText(p) {
    return p.articles
      ? `${p.period}：${p.matches} / ${p.articles} 篇（${percent(share(p))}）`
      : `${p.period}：无文章`;
  }

  /** The first and last day of a `YYYY` or `YYYY-MM` period, within the search's dates. */
  function periodDates(period, values) {
    const [y, m] = period.split('-');
    const last = m ? new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate() : 31;
    let from = m ? `${y}-${m}-01` : `${y}-01-01`;
    let to = m ? `${y}-${m}-${String(last).padStart(2, '0')}` : `${y}-12-31`;
    // YYYY-MM-DD strings sort as the days do.
    if (values.from && values.from > from) from = values.from;
    if (values.to && values.to < to) to = values.to;
    return { from, to };
  }

  /**
   * The bar chart of a trend: per period, the share of its articles that
   * match, scaled to the largest share; each bar's <title> gives the
   * counts. The SVG is one image to assistive technology (its title and
   * desc say what it shows and where it peaks); the numbers are in the
   * table below it.
   */
  function trendSvg(trend) {
    const periods = trend.periods;
    const unit = TREND_BY[trend.by] || trend.by;
    const plotWidth = CHART.width - CHART.left - CHART.right;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const baseline = CHART.top + plotHeight;
    const slot = plotWidth / periods.length;
    const top = Math.max(...periods.map(share));
    const scale = top > 0 ? top : 1;
    const peak = periods.find((p) => share(p) === top);
    const chart = svg('svg', {
      class: 'trend-chart',
      viewBox: `0 0 ${CHART.width} ${CHART.height}`,
      role: 'img',
      'aria-labelledby': 'trend-title trend-desc',
    },
    svg('title', { id: 'trend-title' }, `「${trend.query}」各${unit}所占文章比例`),
    svg('desc', { id: 'trend-desc' },
      `${periods.length} 个${unit}，${periods[0].period} 至 ${periods[periods.length - 1].period}。`,
      top > 0 ? `比例最高：${periodText(peak)}。` : '各期都没有命中。',
      '柱高为命中文章占当期文章的比例，数字见图下的数据表。'));
    chart.append(
      svg('line', { class: 'axis', x1: CHART.left, x2: CHART.width - CHART.right, y1: baseline, y2: baseline }),
      svg('text', { class: 'scale', x: CHART.left - 4, y: CHART.top + 4, 'text-anchor': 'end' }, percent(top)),
      svg('text', { class: 'scale', x: CHART.left - 4, y: baseline, 'text-anchor': 'end' }, '0'));
    const every = Math.ceil(periods.length / MAX_PERIOD_LABELS);
    periods.forEach((p, i) => {
      const x = CHART.left + i * slot;
      const height = (share(p) / scale) * plotHeight;
      chart.append(svg('g', { class: p.articles ? 'period' : 'period empty' },
        svg('title', null, periodText(p)),
        svg('rect', { class: 'slot', x, y: CHART.top, width: slot, height: plotHeight }),
        svg('rect', {
          class: 'bar',
          x: x + (slot * (1 - BAR_SHARE)) / 2,
          y: baseline - height,
          width: slot * BAR_SHARE,
          height,
        })));
      if (i % every === 0) {
        chart.append(svg('text', { class: 'period-label', x: x + slot / 2, y: CHART.height - 6, 'text-anchor': 'middle' },
          p.period));
      }
    });
    return chart;
  }

  /** The trend's numbers, each period a link to the search within it. */
  function trendTable(trend, values) {
    const unit = TREND_BY[trend.by] || trend.by;
    const periodLink = (p) => {
      const q = new URLSearchParams({ q: values.q, ...periodDates(p.period, values) });
      if (values.paper) q.set('paper', values.paper);
      return h('a', { href: '#/search?' + q.toString() }, p.period);
    };
    return h('details', { class: 'trend-data' },
      h('summary', null, '数据表'),
      h('table', null,
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, unit), h('th', { scope: 'col' }, '命中'),
          h('th', { scope: 'col' }, '文章'), h('th', { scope: 'col' }, '比例'))),
        h('tbody', null, trend.periods.map((p) => h('tr', null,
          h('th', { scope: 'row' }, p.articles ? periodLink(p) : p.period),
          h('td', null, String(p.matches)),
          h('td', null, String(p.articles)),
          h('td', null, p.articles ? percent(share(p)) : '—'))))));
  }

  /**
   * The trend section of a search: the chart with a month/year switch.
   * `first` is the server's trend (or the error fetching it); switching
   * fetches the other grouping, redraws in place and records the choice
   * in the address (without a new history entry or reloading the hits):
   * `onSwitch` is told the grouping switched to.
   */
  function trendSection(values, first, onSwitch) {
    const section = h('section', { class: 'trend', 'aria-label': '词频趋势' });
    let loading = false;
    function failed(e) {
      section.replaceChildren(h('p', { class: 'notice' }, `趋势图出错：${e.message}`));
    }
    function show(trend) {
      if (!trend.periods.length) {
        section.replaceChildren(h('p', { class: 'notice' }, '所选报纸和日期内没有带日期的文章，无法画趋势图。'));
        return;
      }
      const switcher = h('div', { class: 'trend-by', role: 'group', 'aria-label': '按时间分组' },
        Object.entries(TREND_BY).map(([by, unit]) => {
          const button = h('button', { type: 'button', 'aria-pressed': String(by === trend.by) }, '按' + unit);
          button.addEventListener('click', () => load(by, button));
          return button;
        }));
      section.replaceChildren(
        h('div', { class: 'trend-head' },
          h('h2', null, '词频趋势'),
          switcher),
        trendSvg(trend),
        h('p', { class: 'meta' }, '柱高：命中文章占当期全部文章的比例；悬停看篇数。',
          trend.periods.some((p) => !p.articles) ? '灰底：档案里没有这一期的文章。' : null),
        trendTable(trend, values));
    }
    async function load(by, button) {
      if (loading || button.getAttribute('aria-pressed') === 'true') return;
      loading = true;
      try {
        const trend = await api(trendPath(values, by));
        show(trend);
        onSwitch(trend.by);
        // The switch was redrawn: keep the keyboard where it was.
        const pressed = section.querySelector('.trend-by button[aria-pressed="true"]');
        if (pressed) pressed.focus();
      } catch (e) {
        failed(e);
      } finally {
        loading = false;
      }
    }
    if (first instanceof Error) failed(first);
    else show(first);
    return section;
  }

  // --- Views ---------------------------------------------------------------

  function searchForm(values, paperNames) {
    const q = h('input', { type: 'search', name: 'q', placeholder: '搜索全文：词语、"短语"、OR、-排除、title:…', 'aria-label': '搜索' });
    q.value = values.q || '';
    const paper = h('select', { name: 'paper', 'aria-label': '报纸' },
      h('option', { value: '' }, '全部报纸'),
      paperNames.map((p) => h('option', { value: p }, p)));
    paper.value = values.paper || '';
    const from = h('input', { type: 'date', name: 'from', 'aria-label': '起始日期' });
    from.value = values.from || '';
    const to = h('input', { type: 'date', name: 'to', 'aria-label': '截止日期' });
    to.value = values.to || '';
    const form = h('form', { class: 'search', role: 'search' },
      q, paper, h('label', null, '从 ', from), h('label', null, '到 ', to),
      h('button', { type: 'submit' }, '搜索'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [key, input] of [['q', q], ['paper', paper], ['from', from], ['to', to]]) {
        const v = input.value.trim();
        if (v) params.set(key, v);
      }
      const target = '#/search?' + params.toString();
      if (location.hash === target) route();
      else location.hash = target;
    });
    return form;
  }

  /**
   * A paper's issues as a list that fills itself a page at a time: the
   * first page when it is first shown, the next ones on 更多.
   */
  function issueList(paper) {
    const list = h('ul', { class: 'plain dates' });
    const more = h('button', { type: 'button', class: 'more', hidden: true }, '更多…');
    const status = h('p', { class: 'notice', hidden: true });
    let loaded = 0;
    let loading = false;
    async function next() {
      if (loading) return;
      loading = true;
      more.disabled = true;
      try {
        const page = await issuesPage(paper, loaded);
        list.append(...page.issues.map((i) => h('li', null,
          h('a', { href: issueHref(i.paper, i.date) }, i.date),
          h('span', { class: 'meta' }, `${i.pages} 版 · ${i.articles} 篇`))));
        loaded += page.issues.length;
        more.hidden = !(page.issues.length && loaded < page.total);
        status.hidden = true;
      } catch (e) {
        status.textContent = `出错了：${e.message}`;
        status.hidden = false;
      } finally {
        loading = false;
        more.disabled = false;
      }
    }
    more.addEventListener('click', next);
    return { nodes: [list, more, status], next, started: () => loaded > 0 || loading };
  }

  async function viewHome() {
    const [list, stats] = await Promise.all([api('/api/papers'), api('/api/stats')]);
    document.title = '报纸档案';
    papersCache = list.papers.map((p) => p.paper);
    const view = h('div', { class: 'home' },
      searchForm({}, papersCache),
      h('p', { class: 'count' },
        `${stats.papers} 种报纸 · ${stats.issues} 期 · ${stats.pages} 个版面 · ${stats.articles} 篇文章`));
    if (!list.papers.length) {
      view.append(h('p', { class: 'notice' }, '档案是空的：先用 baozhi ingest 导入版面。'));
    }
    // A few papers are shown open; with many, each opens on demand, and
    // its issues are asked for when it first opens.
    const open = list.papers.length <= 3;
    const firstPages = [];
    for (const p of list.papers) {
      const issues = issueList(p.paper);
      const details = h('details', { class: 'paper', open },
        h('summary', null, p.paper, h('span', { class: 'meta' }, `${p.issues} 期`)),
        issues.nodes);
      details.addEventListener('toggle', () => {
        if (details.open && !issues.started()) issues.next();
      });
      if (open) firstPages.push(issues.next());
      view.append(details);
    }
    await Promise.all(firstPages);
    return view;
  }

  async function viewIssue(paper, date) {
    const issue = await api('/api/issues/' + pctEncode(paper) + '/' + pctEncode(date));
    document.title = `${issue.paper} ${issue.date} · 报纸档案`;
    const view = h('div', { class: 'issue' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '报刊'), h('span', null, issue.paper)),
      h('h1', null, issue.paper, ' ', issue.date),
      h('p', { class: 'meta' }, `共 ${issue.pages.length} 个版面`));
    for (const page of issue.pages) {
      const section = h('section', { class: 'page' }, h('h2', null, pageLabel(page.page)));
      const picture = pagePicture(issue, page);
      if (picture) section.append(picture);
      if (page.furniture.length) {
        section.append(h('ul', { class: 'plain furniture' }, page.furniture.map((f) => h('li', null,
          h('span', { class: 'label' }, FURNITURE_KINDS[f.kind] || f.kind), ' ', f.text))));
      }
      if (page.articles.length) {
        section.append(h('ul', { class: 'plain articles' }, page.articles.map((a) => h('li', null,
          a.column ? h('span', { class: 'label' }, a.column) : null,
          a.kicker ? h('span', { class: 'kicker' }, a.kicker) : null,
          h('a', { class: 'title', href: articleHref(a.id) }, a.title || '（无题）')))));
      } else {
        section.append(h('p', { class: 'notice' }, '本版没有文章。'));
      }
      view.append(section);
    }
    return view;
  }

  /**
   * A printed page's picture (paper, date, page as stored) with `regions`
   * over it: [box, node] pairs, each box in points of the page's `size`,
   * its node placed as shares of the picture so it can scale. Positions
   * are set through the style object: the reader's CSP allows no inline
   * style attributes. Returns the figure and its img (to watch it load),
   * or null without a usable size.
   */
  function pictureWithRegions(paper, date, page, size, regions) {
    if (!size || !(size.width > 0) || !(size.height > 0)) return null;
    const src = '/api/issues/' + pctEncode(paper) + '/' + pctEncode(date)
      + '/pages/' + pctEncode(page) + '/picture';
    const img = h('img', { src, alt: pageLabel(page) + '版面图' });
    const figure = h('div', { class: 'page-picture' }, img);
    const pct = (v, of) => (100 * Math.min(Math.max(v / of, 0), 1)).toFixed(3) + '%';
    for (const [b, node] of regions) {
      node.style.left = pct(b.x0, size.width);
      node.style.top = pct(b.top, size.height);
      node.style.width = pct(b.x1 - b.x0, size.width);
      node.style.height = pct(b.bottom - b.top, size.height);
      figure.append(node);
    }
    return { figure, img };
  }

  /**
   * The picture of a printed page with a link over each article's region,
   * or null for a page kept without a picture.
   */
  function pagePicture(issue, page) {
    const regions = page.articles.flatMap((a) => (a.boxes || []).map((b) => [b,
      h('a', { class: 'region', href: articleHref(a.id), title: a.title || '（无题）' })]));
    const shown = pictureWithRegions(issue.paper, issue.date, page.page, page.picture, regions);
    if (!shown) return null;
    // Regions over a picture that is not there would be links over nothing.
    shown.img.addEventListener('error',
      () => shown.figure.replaceWith(h('p', { class: 'notice' }, '版面图无法载入。')));
    return shown.figure;
  }

  /**
   * Where an article was printed: its page's picture with the article's
   * regions marked, folded away under 版面位置; null when the archive
   * keeps no picture of the page or the article has no boxes.
   */
  function printedOn(stored) {
    const boxes = stored.article.boxes || [];
    if (!boxes.length) return null;
    const regions = boxes.map((b) => [b, h('span', { class: 'region here' })]);
    const shown = pictureWithRegions(stored.paper, stored.date, stored.page, stored.picture, regions);
    if (!shown) return null;
    const section = h('details', { class: 'printed' }, h('summary', null, '版面位置'), shown.figure);
    shown.img.addEventListener('error', () => section.remove());
    return section;
  }

  function jumpLine(prefix, page, targetId) {
    const text = `${prefix}${page}版`;
    return h('p', { class: 'jump' }, targetId ? h('a', { href: articleHref(targetId) }, text) : text);
  }

  /**
   * A story continued on other pages, read as one: the parts in reading
   * order (this one marked), with the text of the others below, so the
   * reader need not follow the jump lines page by page. Nothing for an
   * article without resolved jumps; a part that fails to load is named
   * and linked, not fatal.
   */
  async function storySection(stored) {
    const ids = Array.isArray(stored.story) ? stored.story : [];
    if (ids.length < 2) return null;
    const parts = await Promise.all(ids.map((id) => (id === stored.id
      ? Promise.resolve(stored)
      : api('/api/articles/' + canonicalId(id)).catch(() => null))));
    const section = h('section', { class: 'story', 'aria-label': '全篇' },
      h('h2', null, `全篇（分 ${ids.length} 处刊出）`),
      h('ol', { class: 'plain story-parts' }, ids.map((id, i) => h('li', null,
        id === stored.id
          ? h('span', { 'aria-current': 'true' }, `${pageLabel(parts[i] ? parts[i].page : '')}（本篇）`)
          : h('a', { href: articleHref(id) }, parts[i] ? `${pageLabel(parts[i].page)} ${parts[i].article.title || ''}` : id)))));
    ids.forEach((id, i) => {
      const part = parts[i];
      if (id === stored.id || !part) return;
      const text = h('div', { class: 'story-part' },
        h('h3', null, h('a', { href: articleHref(id) }, `${i < ids.indexOf(stored.id) ? '前文' : '续'} · ${pageLabel(part.page)}`)));
      (part.article.paragraphs || []).forEach((p) => {
        text.append(h(p.kind === 'heading' ? 'h4' : 'p', null, p.text));
      });
      section.append(text);
    });
    return section;
  }

  async function viewArticle(rawId) {
    const stored = await api('/api/articles/' + canonicalId(rawId));
    const a = stored.article;
    const findings = Array.isArray(a.findings) ? a.findings : [];
    const at = (where, index) => findings.filter((f) => f.where === where
      && (index === undefined || f.paragraph === index));
    document.title = `${a.title || '文章'} · 报纸档案`;

    const labels = [a.column, a.series && a.series !== a.column ? a.series : null].filter(Boolean);
    const header = h('header', null,
      labels.length ? h('p', { class: 'labels' }, labels.map((l) => h('span', { class: 'label' }, l))) : null,
      a.kicker ? h('p', { class: 'kicker' }, marked(a.kicker, at('kicker'))) : null,
      h('h1', null, marked(a.title || '（无题）', at('title'))),
      a.subtitle ? h('p', { class: 'subtitle' }, marked(a.subtitle, at('subtitle'))) : null,
      (a.bylines || []).map((b) => h('p', { class: 'byline' },
        [b.role, (b.names || []).join(' ')].filter(Boolean).join(' '))),
      a.dateline ? h('p', { class: 'dateline' }, a.dateline) : null);

    const body = h('div', { class: 'body' });
    if (a.continued_from) body.append(jumpLine('上接', a.continued_from, stored.continued_from_id));
    (a.paragraphs || []).forEach((p, i) => {
      body.append(h(p.kind === 'heading' ? 'h3' : 'p', null, marked(p.text, at('paragraph', i))));
    });
    (a.captions || []).forEach((c, i) => {
      body.append(h('figure', { class: 'caption' }, h('figcaption', null,
        marked(c.text, at('caption', i)),
        c.credit ? h('span', { class: 'credit' }, c.credit) : null)));
    });
    if (a.continues_to) body.append(jumpLine('下转', a.continues_to, stored.continues_to_id));
    if (a.marks && a.marks.length) body.append(h('p', { class: 'marks' }, '编辑标记：' + a.marks.join(' ')));
    const story = await storySection(stored);

    const article = h('article', { class: 'reader' },
      h('p', { class: 'crumbs' },
        h('a', { href: '#/' }, '报刊'),
        h('a', { href: issueHref(stored.paper, stored.date) }, `${stored.paper} ${stored.date}`),
        h('span', null, pageLabel(stored.page))),
      header, body, printedOn(stored), story);

    if (findings.length) {
      article.append(h('section', { class: 'findings' },
        h('h2', null, '校对建议'),
        h('p', { class: 'meta' }, '原文 → 建议；印刷文本不作改动。'),
        h('ol', null, findings.map((f) => h('li', null,
          h('span', { class: 'label' }, FINDING_KINDS[f.kind] || f.kind), ' ',
          `${FIELDS[f.where] || f.where}${f.where === 'paragraph' || f.where === 'caption' ? ' ' + ((f.paragraph ?? 0) + 1) : ''}：`,
          '原文「', h('mark', { title: f.evidence || '' }, f.original), '」',
          f.suggestion !== null && f.suggestion !== undefined
            ? ['建议「', h('ins', null, f.suggestion), '」'] : '（存疑，无建议）',
          typeof f.confidence === 'number' ? ` 置信度 ${f.confidence.toFixed(2)}` : null,
          f.evidence ? h('span', { class: 'evidence' }, f.evidence) : null)))));
    }
    return article;
  }

  async function viewSearch(params) {
    const values = {
      q: params.get('q') || '',
      paper: params.get('paper') || '',
      from: params.get('from') || '',
      to: params.get('to') || '',
    };
    const offset = Math.min(Math.max(parseInt(params.get('offset') || '0', 10) || 0, 0), MAX_OFFSET);
    let paperNames = [];
    try {
      paperNames = await papers();
    } catch (e) {
      paperNames = values.paper ? [values.paper] : [];
    }
    document.title = values.q ? `${values.q} · 搜索 · 报纸档案` : '搜索 · 报纸档案';
    const view = h('div', { class: 'search' }, h('h1', null, '搜索'), searchForm(values, paperNames));
    if (!values.q.trim() && !values.paper && !values.from && !values.to) {
      view.append(h('p', { class: 'notice' },
        '几个词用空格分开表示都要出现；"引号" 查短语；OR 表示或；-词 排除；title: byline: caption: 只查某一部分。'));
      return view;
    }
    const query = new URLSearchParams({ q: values.q, limit: String(PAGE_SIZE), offset: String(offset) });
    for (const key of ['paper', 'from', 'to']) if (values[key]) query.set(key, values[key]);
    // Words are charted over time; filters alone would chart 100 % everywhere.
    const charted = values.q.trim() !== '';
    const by = TREND_BY[params.get('by')] ? params.get('by') : '';
    const [results, trend] = await Promise.all([
      api('/api/search?' + query.toString()),
      // A failed chart must not take the hits with it.
      charted ? api(trendPath(values, by)).catch((e) => e) : null,
    ]);
    const shown = results.hits.length;
    view.append(h('p', { class: 'count' }, shown
      ? `共 ${results.total} 条结果，第 ${offset + 1}–${offset + shown} 条`
      : `共 ${results.total} 条结果`));
    if (charted && results.total > 0) {
      view.append(trendSection(values, trend, (switched) => {
        // The address and the pager's links keep the grouping.
        params.set('by', switched);
        history.replaceState(null, '', '#/search?' + params.toString());
        for (const link of view.querySelectorAll('.pager a')) {
          const target = new URLSearchParams(link.getAttribute('href').replace(/^#\/search\?/, ''));
          target.set('by', switched);
          link.setAttribute('href', '#/search?' + target.toString());
        }
      }));
    }
    view.append(h('ol', { class: 'hits' }, results.hits.map((hit) => h('li', null,
      h('a', { class: 'title', href: articleHref(hit.id) }, hit.title || '（无题）'),
      h('div', { class: 'hit-meta' }, `${hit.paper} · ${hit.date} · ${pageLabel(hit.page)}`),
      h('p', { class: 'snippet' }, snippetNodes(hit.snippet))))));
    const pageLink = (o, text) => {
      const p = new URLSearchParams(params);
      p.set('offset', String(o));
      return h('a', { href: '#/search?' + p.toString() }, text);
    };
    const pager = h('p', { class: 'pager' });
    pager.append(offset > 0 ? pageLink(Math.max(offset - PAGE_SIZE, 0), '← 上一页') : h('span'));
    if (offset + shown < results.total && offset + PAGE_SIZE <= MAX_OFFSET) {
      pager.append(pageLink(offset + PAGE_SIZE, '下一页 →'));
    }
    view.append(pager);
    return view;
  }

  // --- Routing -------------------------------------------------------------

  function parseHash() {
    let hash = location.hash.replace(/^#/, '');
    if (!hash.startsWith('/')) hash = '/' + hash;
    const q = hash.indexOf('?');
    return {
      path: q < 0 ? hash : hash.slice(0, q),
      params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)),
    };
  }

  async function route() {
    const seq = ++renderSeq;
    const { path, params } = parseHash();
    main.replaceChildren(h('p', { class: 'loading' }, '加载中…'));
    let view;
    try {
      let m;
      if (path === '/') view = await viewHome();
      else if (path === '/search') view = await viewSearch(params);
      else if ((m = path.match(/^\/issue\/([^/]+)\/([^/]+)\/?$/))) {
        view = await viewIssue(safeDecode(m[1]), safeDecode(m[2]));
      } else if ((m = path.match(/^\/article\/(.+)$/))) view = await viewArticle(m[1]);
      else throw Object.assign(new Error('没有这个页面'), { status: 404 });
    } catch (e) {
      document.title = '出错了 · 报纸档案';
      view = h('div', { class: 'failed' },
        h('p', { class: 'error' }, e.status === 404 ? `找不到：${e.message}` : `出错了：${e.message}`),
        h('p', null, h('a', { href: '#/' }, '回到首页')));
    }
    if (seq !== renderSeq) return; // a later navigation won
    main.replaceChildren(view);
    window.scrollTo(0, 0);
  }

  window.addEventListener('hashchange', route);
  route();
})();
