// The baozhi web reader: plain JavaScript over the server's JSON API, with
// hash routes so that it needs no server-side pages:
//
//   #/                          papers and their issues
//   #/issue/{paper}/{date}      an issue's pages, furniture and articles
//   #/article/{id}              one article, with proofreading suggestions
//   #/search?q=&paper=&from=&to=&offset=
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

  function jumpLine(prefix, page, targetId) {
    const text = `${prefix}${page}版`;
    return h('p', { class: 'jump' }, targetId ? h('a', { href: articleHref(targetId) }, text) : text);
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

    const article = h('article', { class: 'reader' },
      h('p', { class: 'crumbs' },
        h('a', { href: '#/' }, '报刊'),
        h('a', { href: issueHref(stored.paper, stored.date) }, `${stored.paper} ${stored.date}`),
        h('span', null, pageLabel(stored.page))),
      header, body);

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
    const results = await api('/api/search?' + query.toString());
    const shown = results.hits.length;
    view.append(h('p', { class: 'count' }, shown
      ? `共 ${results.total} 条结果，第 ${offset + 1}–${offset + shown} 条`
      : `共 ${results.total} 条结果`));
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
