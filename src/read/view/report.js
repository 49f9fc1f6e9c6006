// SPDX-License-Identifier: MIT
// devsnap view: draws the dump data embedded in this page.  Everything
// from the dump (names, reasons, blobs) is untrusted: it reaches the page
// only through textContent and setAttribute, never as markup.
// Formatted with prettier --use-tabs --tab-width 8 --print-width 100
// --single-quote --arrow-parens always --trailing-comma all.
'use strict';
(function () {
	const NS = 'http://www.w3.org/2000/svg';
	const ROW_H = 22,
		MIN_PX = 2,
		TRACK_H = 34,
		TRACK_GAP = 34;
	const WHY = {
		saved: 'the bytes are in the dump',
		'not-ram': 'not saved: no RAM at that physical address (MMIO hole, beyond memory)',
		offline: 'not saved: RAM, but offline or not accepted',
		hwpoison: 'not saved: RAM with a memory failure (hwpoison)',
		'device-memory': 'not saved: mapped with device-memory attributes, never read',
		'over-budget': "not saved: past the capture's byte budget",
		'read-error': 'not saved: the memory source failed to give the bytes',
		'not-saved': 'not saved; the dump does not say why',
	};
	const CHANGE_WHY = {
		added: 'mapped in B only',
		removed: 'mapped in A only',
		remapped: 'mapped at another physical address',
		attributes: 'other permissions or PTE bits',
		changed: 'the same memory, other bytes',
		saved_only_in_a: 'saved in A only',
		saved_only_in_b: 'saved in B only',
	};

	const data = JSON.parse(document.getElementById('devsnap-data').textContent);
	const states = data.states;
	const diffMode = data.dumps.length === 2;

	/* Formatting. */
	const hex = (b) => '0x' + b.toString(16);
	const hex16 = (b) => '0x' + b.toString(16).padStart(16, '0');
	function fmtBytes(b) {
		const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
		let v = Number(b),
			u = 0;
		while (v >= 1024 && u + 1 < units.length) {
			v /= 1024;
			u++;
		}
		return u ? v.toFixed(1) + ' ' + units[u] : v.toFixed(0) + ' B';
	}
	const perm = (f) => (f & 4 ? 'r' : '-') + (f & 2 ? 'w' : '-') + (f & 1 ? 'x' : '-');
	const pteBits = (f) => BigInt((f >>> 8) & 0xfff) | (BigInt(f >>> 20) << 52n);
	function el(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = String(text);
		return e;
	}
	function svgEl(tag, attrs) {
		const e = document.createElementNS(NS, tag);
		for (const k in attrs) e.setAttribute(k, attrs[k]);
		return e;
	}
	/* Sorts by an address: by its double first (exact below 2^53), by the
	 * address itself only on ties. */
	function sortByAddr(arr, key) {
		const keys = arr.map(key),
			approx = Float64Array.from(keys, Number);
		const order = Uint32Array.from(arr.keys());
		order.sort(
			(a, b) =>
				approx[a] - approx[b] ||
				(keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0),
		);
		return Array.from(order, (k) => arr[k]);
	}
	/*
	 * Addresses are doubles when every one in the data is below 2^52 (so
	 * sums stay exact), as physical addresses and most device VAs are: no
	 * BigInt garbage for 65 000 segments.  Dumps with upper-half VAs get
	 * BigInts, which wrap at 2^64 as devsnap's sums do.  Either way one
	 * type throughout.
	 */
	const fits = (x) =>
		typeof x === 'string' ? x.replace(/^0x/, '').length <= 13 : x < 2 ** 52;
	const small =
		data.dumps.every((d) => d.segs.small) &&
		Object.values(data.diff || {}).every(
			(rows) =>
				!Array.isArray(rows) ||
				rows.every((r) => fits(r.va) && fits(r.size)),
		);
	const toAddr = small ? Number : BigInt,
		ZERO = toAddr(0),
		wrap = small ? (x) => x : (x) => BigInt.asUintN(64, x);
	const addr = (x) =>
		typeof x !== 'string'
			? toAddr(x)
			: small
				? parseInt(x.replace(/^0x/, ''), 16)
				: BigInt(x.startsWith('0x') ? x : '0x' + x);

	/* The dumps' segments, in VA order as devsnap wrote them: a number is
	 * the distance from the previous segment's end, a string an address. */
	function loadSegs(d) {
		const c = d.segs,
			out = new Array(c.va.length);
		let vaEnd = ZERO,
			paEnd = ZERO;
		for (let i = 0; i < out.length; i++) {
			const rel = (x, end) => (typeof x === 'string' ? addr(x) : wrap(end + toAddr(x)));
			const va = rel(c.va[i], vaEnd),
				pa = rel(c.pa[i], paEnd),
				size = addr(c.size[i]),
				state = states[c.state[i]] || 'not-saved';
			vaEnd = wrap(va + size);
			paEnd = wrap(pa + size);
			out[i] = {
				kind: 'seg',
				i,
				va,
				pa,
				size,
				end: va + size,
				flags: c.flags[i],
				w: Number(size),
				state,
				shift: c.shift[i],
				cls: 'st-' + state,
				shared: null,
				u0: NaN, // doubles from the start: no change of shape later
				u1: NaN,
			};
		}
		return out;
	}
	const dumps = data.dumps.map((d) => ({ info: d.info, blobs: d.blobs, segs: loadSegs(d) }));

	function loadChanges(diff) {
		const out = [];
		for (const kind of Object.keys(CHANGE_WHY))
			for (const row of diff[kind] || []) {
				const va = addr(row.va),
					size = addr(row.size);
				out.push({
					kind: 'change',
					change: kind,
					va,
					size,
					end: va + size,
					row,
					w: Number(size),
					u0: NaN,
					u1: NaN,
					cls: 'ch-' + kind,
				});
			}
		return sortByAddr(out, (c) => c.va);
	}

	/*
	 * A compressed axis: items that overlap form a block; every block and
	 * every gap between blocks gets a width on a log scale of its size, so
	 * a 4 KiB page and a 2^47-byte gap both stay visible.  Inside a block
	 * the scale is linear.  One pass over the items sorted by VA, with
	 * doubles for widths: address arithmetic stays one subtraction per item.
	 */
	function makeAxis(itemLists, page) {
		let items = [].concat(...itemLists);
		let sorted = true;
		for (let k = 1; k < items.length && sorted; k++)
			sorted = items[k - 1].va <= items[k].va;
		if (!sorted) items = sortByAddr(items, (it) => it.va);
		const pg = Number(page) || 4096,
			bva = [],
			bend = [],
			bu0 = [],
			bu1 = [];
		let u = 0;
		for (let k = 0; k < items.length;) {
			const first = k,
				va = items[k].va;
			let end = items[k].end;
			for (k++; k < items.length && items[k].va < end; k++)
				if (items[k].end > end) end = items[k].end;
			if (bend.length) {
				const gap = Number(va - bend[bend.length - 1]);
				u += gap > 0 ? 0.6 + 0.4 * Math.log2(1 + gap / pg) : 0;
			}
			const w = 1 + Math.log2(Math.max(1, Number(end - va) / pg)),
				span = Number(end - va) || 1;
			for (let j = first; j < k; j++) {
				const it = items[j];
				it.u0 = k - first === 1 ? u : u + (w * Number(it.va - va)) / span;
				it.u1 =
					k - first === 1
						? u + w
						: u + (w * Number(it.end - va)) / span;
			}
			bva.push(va);
			bend.push(end);
			bu0.push(u);
			bu1.push(u + w);
			u += w;
		}
		/* The first block that ends after unit x. */
		function blockAfter(x) {
			let lo = 0,
				hi = bu1.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (bu1[mid] <= x) lo = mid + 1;
				else hi = mid;
			}
			return lo;
		}
		function valueAt(x) {
			const k = blockAfter(x);
			if (!bva.length) return ZERO;
			if (k >= bva.length) return bend[bva.length - 1];
			let from = bva[k],
				to = bend[k],
				u0 = bu0[k],
				u1 = bu1[k];
			if (x < u0) {
				/* in the gap before block k */
				if (!k) return bva[0];
				((from = bend[k - 1]),
					(to = bva[k]),
					(u0 = bu1[k - 1]),
					(u1 = bu0[k]));
			}
			const f = Math.min(1, Math.max(0, (x - u0) / (u1 - u0 || 1)));
			return from + toAddr(Math.floor(f * Number(to - from)));
		}
		return { bva, bend, bu0, bu1, total: u || 1, blockAfter, valueAt };
	}

	/* The first item that ends after unit u (items sorted by VA). */
	function firstAfter(items, u) {
		let lo = 0,
			hi = items.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (items[mid].u1 <= u) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/* Tracks drawn on the shared VA axis. */
	const page = dumps[0].info.page_size || 4096;
	let tracks,
		changes = [];
	if (diffMode) {
		changes = loadChanges(data.diff);
		tracks = [
			{ name: 'A  ' + dumps[0].info.file, items: dumps[0].segs },
			{ name: 'B  ' + dumps[1].info.file, items: dumps[1].segs },
			{ name: 'changes', items: changes },
		];
	} else {
		tracks = [{ name: 'device VA', items: dumps[0].segs }];
	}
	const axis = makeAxis(
		tracks.map((t) => t.items),
		page,
	);
	const primary = tracks[diffMode ? 2 : 0].items;

	/* The physical side: saved pages by PA, and VA runs sharing them;
	 * worked out once the VA strip is on screen. */
	let paItems = [],
		paAxis = null;
	function physical() {
		paItems = dumps[0].segs.map((s) => ({
			kind: 'pa',
			seg: s,
			va: s.pa,
			end: s.pa + s.size,
			cls: s.cls,
			w: s.w,
			u0: NaN,
			u1: NaN,
		}));
		paItems = sortByAddr(paItems, (p) => p.va);
		paAxis = makeAxis([paItems], page);
		listShared(findShared(paItems, 5000));
	}

	function findShared(byPa, cap) {
		const pairs = [];
		const active = [];
		for (const p of byPa) {
			let live = 0;
			for (const a of active) if (a.end > p.va) active[live++] = a;
			active.length = live;
			for (const a of active) {
				if (pairs.length >= cap) return pairs;
				const lo = p.va > a.va ? p.va : a.va,
					hi = p.end < a.end ? p.end : a.end;
				pairs.push({ a: a.seg, b: p.seg, pa: lo, size: hi - lo });
				(a.seg.shared ||= []).push(p.seg);
				(p.seg.shared ||= []).push(a.seg);
			}
			active.push(p);
		}
		return pairs;
	}

	/* View state: the window [v0, v1) in axis units, and the selection. */
	let v0 = 0,
		v1 = axis.total,
		selected = null,
		drawn = 0;
	const map = document.getElementById('map');
	const byElement = new WeakMap();

	function defs() {
		const d = svgEl('defs', {});
		const hatch = (id, angle) => {
			const p = svgEl('pattern', {
				id,
				width: 6,
				height: 6,
				patternUnits: 'userSpaceOnUse',
				patternTransform: 'rotate(' + angle + ')',
			});
			p.appendChild(
				svgEl('rect', {
					width: 2,
					height: 6,
					fill: '#fff',
					'fill-opacity': 0.55,
				}),
			);
			return p;
		};
		d.appendChild(hatch('hatch-w', 45));
		d.appendChild(hatch('hatch-x', -45));
		return d;
	}

	function hatchFor(flags) {
		return (flags & 2 ? ['url(#hatch-w)'] : []).concat(
			flags & 1 ? ['url(#hatch-x)'] : [],
		);
	}

	/* One track: runs wider than MIN_PX on their own, narrower ones merged. */
	function drawTrack(g, items, a0, a1, y, W, attr) {
		const x = (u) => ((u - a0) / (a1 - a0)) * W;
		let bucket = null,
			count = 0,
			lastLabel = -1e9;
		const emit = (list, x0, x1) => {
			const first = list[0],
				w = Math.max(x1 - x0 - (x1 - x0 > 4 ? 1 : 0), 1);
			let cls = first.cls;
			if (list.length > 1) {
				const bytes = new Map();
				for (const it of list)
					bytes.set(it.cls, (bytes.get(it.cls) || 0) + it.w);
				let best = -1;
				for (const [c, b] of bytes)
					if (b > best) {
						best = b;
						cls = c;
					}
			}
			const r = svgEl('rect', {
				x: x0.toFixed(2),
				y,
				width: w.toFixed(2),
				height: TRACK_H,
				class: 'run ' + cls + (list.length > 1 ? ' merged' : ''),
				tabindex: 0,
				[attr]: hex(first.va),
			});
			if (first.state) r.setAttribute('data-state', first.state);
			if (first.change) r.setAttribute('data-change', first.change);
			if (list.length > 1) r.setAttribute('data-count', list.length);
			const run = list.length > 1 ? { kind: 'merged', list, cls } : first;
			byElement.set(r, run);
			if (
				run === selected ||
				(selected && selected.seg === first && list.length === 1)
			)
				r.classList.add('selected');
			g.appendChild(r);
			if (list.length === 1 && first.flags !== undefined)
				for (const fill of hatchFor(first.flags))
					g.appendChild(
						svgEl('rect', {
							x: x0.toFixed(2),
							y,
							width: w.toFixed(2),
							height: TRACK_H,
							fill,
							class: 'hatch',
						}),
					);
			if (x0 - lastLabel > 140 && x0 >= 0 && x0 < W - 100) {
				const t = svgEl('text', { x: x0.toFixed(1), y: y + TRACK_H + 12 });
				t.textContent = hex(first.va);
				g.appendChild(t);
				lastLabel = x0;
			}
			count++;
		};
		const flush = () => {
			if (bucket) emit(bucket.list, bucket.x0, bucket.x1);
			bucket = null;
		};
		for (let k = firstAfter(items, a0); k < items.length && items[k].u0 < a1; k++) {
			const it = items[k],
				x0 = x(it.u0),
				x1 = x(it.u1);
			if (bucket && x0 - bucket.x1 > 1) flush();
			if (x1 - x0 >= MIN_PX) {
				flush();
				emit([it], x0, x1);
				continue;
			}
			if (!bucket) bucket = { list: [], x0, x1 };
			bucket.list.push(it);
			bucket.x1 = Math.max(bucket.x1, x1);
			if (bucket.x1 - bucket.x0 >= MIN_PX) flush();
		}
		flush();
		return count;
	}

	/* Gaps wide enough on screen get their size written in them. */
	function labelGaps(g, ax, a0, a1, y, W) {
		const x = (u) => ((u - a0) / (a1 - a0)) * W;
		let labels = 0;
		for (
			let k = Math.max(1, ax.blockAfter(a0));
			k < ax.bva.length && ax.bu1[k - 1] < a1 && labels < 200;
			k++
		) {
			const x0 = Math.max(0, x(ax.bu1[k - 1])),
				x1 = Math.min(W, x(ax.bu0[k]));
			if (x1 - x0 < 64) continue;
			const t = svgEl('text', {
				x: ((x0 + x1) / 2).toFixed(1),
				y: y + TRACK_H / 2 + 4,
				'text-anchor': 'middle',
				class: 'gap-label',
			});
			t.textContent =
				'\u2026 ' + fmtBytes(ax.bva[k] - ax.bend[k - 1]) + ' \u2026';
			g.appendChild(t);
			labels++;
		}
	}

	function trackTitle(g, text, y) {
		const t = svgEl('text', { x: 2, y: y - 6, class: 'track' });
		t.textContent = text;
		g.appendChild(t);
	}

	/* The PA strip's whole extent never changes: it is drawn again only
	 * when the width does. */
	let vaLayer = null,
		paLayer = null,
		paWidth = 0;
	const paY = () => 20 + tracks.length * (TRACK_H + TRACK_GAP);
	function drawPhysical(W) {
		const g = svgEl('g', {}),
			y = paY();
		trackTitle(g, 'physical address (where the pages came from)', y);
		g.appendChild(svgEl('rect', { x: 0, y, width: W, height: TRACK_H, class: 'gap' }));
		labelGaps(g, paAxis, 0, paAxis.total, y, W);
		drawTrack(g, paItems, 0, paAxis.total, y, W, 'data-pa');
		if (paLayer) paLayer.replaceWith(g);
		else map.appendChild(g);
		paLayer = g;
		paWidth = W;
	}

	function draw() {
		const W = map.clientWidth || 1000;
		const rows = tracks.length + (diffMode ? 0 : 1);
		const H = 8 + rows * (TRACK_H + TRACK_GAP) + 6;
		map.style.height = H + 'px';
		map.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
		const g = svgEl('g', {});
		let y = 20;
		drawn = 0;
		tracks.forEach((t, n) => {
			const label =
				n === 0 || !diffMode
					? t.name +
						'   ' +
						hex(axis.valueAt(v0)) +
						' \u2013 ' +
						hex(axis.valueAt(v1))
					: t.name;
			trackTitle(g, label, y);
			g.appendChild(
				svgEl('rect', { x: 0, y, width: W, height: TRACK_H, class: 'gap' }),
			);
			labelGaps(g, axis, v0, v1, y, W);
			drawn += drawTrack(g, t.items, v0, v1, y, W, 'data-va');
			y += TRACK_H + TRACK_GAP;
		});
		const focused = byElement.get(document.activeElement);
		if (vaLayer) vaLayer.replaceWith(g);
		else map.replaceChildren(defs(), g);
		vaLayer = g;
		if (paAxis && paWidth !== W) drawPhysical(W);
		if (focused)
			for (const r of g.querySelectorAll('rect.run'))
				if (byElement.get(r) === focused) {
					r.focus();
					break;
				}
		const lo = firstAfter(primary, v0);
		let hi = lo;
		while (hi < primary.length && primary[hi].u0 < v1) hi++;
		table.setRange(lo, hi);
	}

	let pending = false;
	function redraw() {
		if (pending) return;
		pending = true;
		requestAnimationFrame(() => {
			pending = false;
			draw();
		});
	}

	function setView(a, b) {
		const minSpan = 1e-4,
			total = axis.total;
		let span = Math.min(Math.max(b - a, minSpan), total * 1.02);
		a = Math.max(-total * 0.01, Math.min(a, total * 1.01 - span));
		v0 = a;
		v1 = a + span;
		redraw();
	}
	const zoom = (factor, at) => setView(at - (at - v0) * factor, at + (v1 - at) * factor);

	/* Details of a run, for hover, focus and search. */
	function describe(run) {
		if (run.kind === 'merged') {
			const l = run.list,
				a = l[0],
				z = l[l.length - 1];
			return [
				l.length +
					' runs merged at this zoom: ' +
					hex(a.va) +
					' \u2013 ' +
					hex(z.end),
				'mostly ' +
					run.cls.replace(/^(st|ch)-/, '') +
					'; zoom in (wheel, +) to see each',
			];
		}
		if (run.kind === 'pa') return describe(run.seg);
		if (run.kind === 'change') {
			const r = run.row,
				lines = [
					run.change + ': ' + CHANGE_WHY[run.change],
					'VA ' +
						hex16(run.va) +
						' \u2013 ' +
						hex16(run.end) +
						'  (' +
						fmtBytes(run.size) +
						')',
				];
			if (r.pa) lines.push('PA ' + r.pa + '  ' + (r.perm || ''));
			if (r.old_pa) lines.push('PA ' + r.old_pa + ' \u2192 ' + r.new_pa);
			if (r.old_perm)
				lines.push(
					r.old_perm +
						' \u2192 ' +
						r.new_perm +
						', PTE bits ' +
						r.old_pte_bits +
						' \u2192 ' +
						r.new_pte_bits,
				);
			if (r.bytes !== undefined)
				lines.push(r.bytes + ' bytes differ, the first at ' + r.first);
			return lines;
		}
		const lines = [
			'VA ' +
				hex16(run.va) +
				' \u2013 ' +
				hex16(run.end) +
				'  (' +
				fmtBytes(run.size) +
				')',
			'PA ' + hex(run.pa) + ' \u2013 ' + hex(run.pa + run.size),
			'permissions ' +
				perm(run.flags) +
				', PTE bits ' +
				hex16(pteBits(run.flags)) +
				', pages of ' +
				fmtBytes(2n ** BigInt(run.shift)),
			'state ' + run.state + ': ' + (WHY[run.state] || WHY['not-saved']),
		];
		if (run.shared)
			lines.push(
				'shares physical pages with VA ' +
					run.shared
						.slice(0, 4)
						.map((s) => hex(s.va))
						.join(', ') +
					(run.shared.length > 4
						? ' and ' + (run.shared.length - 4) + ' more'
						: ''),
			);
		return lines;
	}
	const details = document.getElementById('details');
	/* A run's details, and its VA and PA rectangles outlined together. */
	function showDetails(run) {
		const seg = run.kind === 'pa' ? run.seg : run;
		details.textContent = describe(run).join('\n');
		for (const r of map.querySelectorAll('rect.run')) {
			const x = byElement.get(r);
			r.classList.toggle('hover', x === seg || (x && x.seg === seg));
		}
	}

	function select(run) {
		selected = run;
		showDetails(run);
		redraw();
	}

	/* The table of runs in view: only the rows on screen exist. */
	const table = (function () {
		const box = document.getElementById('table'),
			body = document.getElementById('table-body');
		const head = document.getElementById('table-head');
		const cols = diffMode
			? ['', 'DEVICE VA', 'SIZE', 'CHANGE', 'DETAIL']
			: [
					'',
					'DEVICE VA',
					'PA',
					'SIZE',
					'PERM',
					'PTE BITS',
					'STATE',
					'SHARES PAGES WITH',
				];
		head.classList.toggle('diff', diffMode);
		for (const c of cols) head.appendChild(el('span', '', c));
		let lo = 0,
			hi = 0;
		function row(it) {
			const r = el(
				'div',
				'row' +
					(diffMode ? ' diff' : '') +
					(it === selected ? ' selected' : ''),
			);
			r.setAttribute('data-va', hex(it.va));
			r.appendChild(el('span', 'swatch ' + it.cls));
			if (diffMode) {
				r.appendChild(el('span', '', hex16(it.va)));
				r.appendChild(el('span', '', fmtBytes(it.size)));
				r.appendChild(el('span', '', it.change));
				r.appendChild(el('span', '', describe(it).slice(2).join('; ')));
			} else {
				r.appendChild(el('span', '', hex16(it.va)));
				r.appendChild(el('span', '', hex(it.pa)));
				r.appendChild(el('span', '', fmtBytes(it.size)));
				r.appendChild(el('span', '', perm(it.flags)));
				r.appendChild(el('span', '', hex16(pteBits(it.flags))));
				r.appendChild(el('span', '', it.state));
				r.appendChild(
					el(
						'span',
						'',
						(it.shared || [])
							.slice(0, 3)
							.map((s) => hex(s.va))
							.join(', '),
					),
				);
			}
			r.addEventListener('click', () => select(it));
			return r;
		}
		function fill() {
			const first = Math.max(lo, lo + Math.floor(box.scrollTop / ROW_H) - 10);
			const last = Math.min(hi, first + Math.ceil(box.clientHeight / ROW_H) + 20);
			const rows = [];
			for (let k = first; k < last; k++) {
				const r = row(primary[k]);
				r.style.top = (k - lo) * ROW_H + 'px';
				rows.push(r);
			}
			body.replaceChildren(...rows);
		}
		box.addEventListener('scroll', fill);
		return {
			setRange(a, b) {
				lo = a;
				hi = b;
				body.style.height = (b - a) * ROW_H + 'px';
				document.getElementById('table-title').textContent =
					'Runs in view: ' + (b - a) + ' of ' + primary.length;
				fill();
			},
			scrollTo(it) {
				const k = primary.indexOf(it);
				if (k >= lo && k < hi)
					box.scrollTop = Math.max(
						0,
						(k - lo) * ROW_H - box.clientHeight / 2,
					);
				fill();
			},
		};
	})();

	/* Search: a VA first (in any track), then a PA. */
	function lookup(items, x) {
		let lo = 0,
			hi = items.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (items[mid].end <= x) lo = mid + 1;
			else hi = mid;
		}
		return lo < items.length && items[lo].va <= x ? items[lo] : null;
	}
	function search(text) {
		const out = document.getElementById('search-result');
		const s = text.trim().toLowerCase().replace(/^0x/, '').replace(/_/g, '');
		if (!/^[0-9a-f]{1,16}$/.test(s)) {
			out.textContent = 'give a hexadecimal address, e.g. 0x400000010000';
			return;
		}
		if (small && s.length > 13) {
			out.textContent =
				'0x' + s + ' is neither a mapped VA nor a saved PA in this dump';
			return;
		}
		const x = addr(s);
		let hit = null,
			how = 'VA';
		for (const t of [primary].concat(tracks.map((t) => t.items)))
			if (!hit) hit = lookup(t, x);
		if (!hit && paItems.length) {
			const p = lookup(paItems, x);
			hit = p && p.seg;
			how = 'PA';
		}
		if (!hit) {
			out.textContent =
				hex(x) + ' is neither a mapped VA nor a saved PA in this dump';
			return;
		}
		out.textContent = how + ' ' + hex(x) + ' is in the run at ' + hex(hit.va);
		const span = Math.max((hit.u1 - hit.u0) * 6, 2),
			mid = (hit.u0 + hit.u1) / 2;
		setView(mid - span / 2, mid + span / 2);
		selected = hit;
		showDetails(hit);
		draw();
		table.scrollTo(hit);
	}

	/* The page around the picture. */
	function infoRows(info) {
		const rows = [
			['File', info.file + ' (' + fmtBytes(info.file_size) + ')'],
			['Producer', info.producer],
		];
		const d = info.devsnap;
		if (d) {
			rows.push(
				['Device', d.device],
				['Driver', d.driver],
				['Reason', d.reason],
				['Time', d.time],
				[
					'Format',
					d.format +
						', ' +
						d.va_bits +
						'-bit VA' +
						(d.upper_half ? ' (upper half)' : '') +
						', root ' +
						d.roots.join(', '),
				],
			);
		}
		if (info.agx)
			rows.push(
				[
					'GPU',
					'chip ' +
						info.agx.chip_id +
						', generation ' +
						info.agx.gpu_gen +
						', variant ' +
						info.agx.gpu_variant +
						', revision ' +
						info.agx.gpu_rev +
						', ' +
						info.agx.total_active_cores +
						' cores',
				],
				['Firmware', info.agx.firmware_version.join('.')],
				['Initdata', info.agx.initdata_address],
			);
		if (info.rtkit) {
			rows.push([
				'RTKit log',
				info.rtkit.sections.map((s) => s.fourcc).join(' '),
			]);
			for (const s of info.rtkit.sections)
				if (s.message !== undefined)
					rows.push(['Crash message', s.message]);
		}
		rows.push(['Page size', fmtBytes(info.page_size)], ['e_machine', info.e_machine]);
		return rows;
	}
	function fillDl(dl, rows) {
		for (const [k, v] of rows) {
			dl.appendChild(el('dt', '', k));
			dl.appendChild(el('dd', '', v === null || v === undefined ? '' : v));
		}
	}
	function header() {
		const d0 = dumps[0].info;
		const name = d0.devsnap
			? d0.devsnap.device + ' (' + d0.devsnap.driver + ')'
			: d0.file;
		const title = diffMode
			? 'devsnap diff: ' + d0.file + ' \u2192 ' + dumps[1].info.file
			: 'devsnap: ' + name;
		document.title = title;
		document.getElementById('title').textContent = title;
		const info = document.getElementById('info');
		dumps.forEach((d, n) => {
			if (diffMode)
				(info.appendChild(el('dt', 'which', n ? 'B' : 'A')),
					info.appendChild(el('dd', '', '')));
			fillDl(info, infoRows(d.info));
		});
	}
	function totals() {
		const dl = document.getElementById('totals');
		dumps.forEach((d, n) => {
			const t = d.info.totals,
				pre = diffMode ? (n ? 'B ' : 'A ') : '';
			const rows = [
				[pre + 'Segments', t.segments + ', ' + t.saved_segments + ' saved'],
				[pre + 'Mapped', fmtBytes(t.mapped)],
				[pre + 'Saved', fmtBytes(t.saved)],
			];
			for (const k of Object.keys(t.skipped))
				rows.push([pre + 'Skipped ' + k, fmtBytes(t.skipped[k])]);
			fillDl(dl, rows);
		});
		if (diffMode) {
			const rows = Object.keys(CHANGE_WHY).map((k) => [
				'Changes ' + k,
				(data.diff[k] || []).length,
			]);
			rows.push(['Identical', data.diff.identical]);
			fillDl(dl, rows);
		}
	}
	function listShared(sharedPairs) {
		if (sharedPairs.length) {
			const box = document.getElementById('shared');
			document.getElementById('shared-section').hidden = false;
			const tb = el('table', 'notes');
			for (const p of sharedPairs.slice(0, 500)) {
				const tr = el('tr');
				tr.appendChild(
					el('td', 'mono', hex(p.a.va) + ' and ' + hex(p.b.va)),
				);
				tr.appendChild(
					el(
						'td',
						'mono',
						'PA ' + hex(p.pa) + ', ' + fmtBytes(p.size),
					),
				);
				tb.appendChild(tr);
			}
			box.appendChild(tb);
			if (sharedPairs.length > 500)
				box.appendChild(
					el(
						'p',
						'',
						sharedPairs.length - 500 + ' more pairs not listed',
					),
				);
		}
	}
	function notes() {
		const box = document.getElementById('notes');
		dumps.forEach((d, n) => {
			const tb = el('table', 'notes');
			if (diffMode) box.appendChild(el('h3', '', n ? 'B' : 'A'));
			const h = el('tr');
			for (const c of ['name', 'kind', 'size', 'blob'])
				h.appendChild(el('th', '', c));
			tb.appendChild(h);
			for (const note of d.info.notes) {
				const tr = el('tr');
				tr.appendChild(el('td', 'mono', note.name));
				tr.appendChild(el('td', '', note.kind || 'type ' + note.type));
				tr.appendChild(el('td', '', fmtBytes(note.size)));
				tr.appendChild(el('td', 'mono', note.blob || ''));
				tb.appendChild(tr);
			}
			box.appendChild(tb);
			for (const b of d.blobs) {
				document.getElementById('blobs-section').hidden = false;
				const blobs = document.getElementById('blobs');
				blobs.appendChild(
					el('h3', 'mono', b.name + ' (' + fmtBytes(b.size) + ')'),
				);
				blobs.appendChild(el('pre', 'blob', b.text));
			}
		});
	}
	function legend() {
		const box = document.getElementById('legend');
		const item = (cls, text) => {
			const s = el('span', '');
			s.appendChild(el('span', 'swatch ' + cls));
			s.appendChild(document.createTextNode(text));
			box.appendChild(s);
		};
		const counts = new Map();
		for (const d of dumps)
			for (const s of d.segs) counts.set(s.state, (counts.get(s.state) || 0) + 1);
		for (const s of states)
			item('st-' + s, s + (counts.get(s) ? ' (' + counts.get(s) + ')' : ''));
		if (diffMode) for (const k of Object.keys(CHANGE_WHY)) item('ch-' + k, k);
		item('plain', 'r-- plain');
		item('hatch-w', 'writable: hatched /');
		item('hatch-x', 'executable: hatched \\');
		item('hatch-wx', 'both: cross-hatched');
	}

	/* Zoom (wheel, buttons, + - 0), pan (drag, arrows), hover and focus. */
	function unitAt(clientX) {
		const r = map.getBoundingClientRect();
		return v0 + ((clientX - r.left) / (r.width || 1)) * (v1 - v0);
	}
	function inputs() {
		map.addEventListener(
			'wheel',
			(e) => {
				e.preventDefault();
				zoom(e.deltaY < 0 ? 0.8 : 1.25, unitAt(e.clientX));
			},
			{ passive: false },
		);
		let drag = null,
			dragged = false;
		map.addEventListener('pointerdown', (e) => {
			drag = { x: e.clientX, a: v0, b: v1 };
			dragged = false;
		});
		window.addEventListener('pointermove', (e) => {
			if (!drag) return;
			const du =
				((e.clientX - drag.x) / (map.clientWidth || 1)) * (drag.b - drag.a);
			if (Math.abs(e.clientX - drag.x) > 3) {
				dragged = true;
				map.classList.add('dragging');
				setView(drag.a - du, drag.b - du);
			}
		});
		window.addEventListener('pointerup', () => {
			drag = null;
			map.classList.remove('dragging');
		});
		const runOf = (t) => byElement.get(t);
		map.addEventListener(
			'mouseover',
			(e) => runOf(e.target) && showDetails(runOf(e.target)),
		);
		map.addEventListener(
			'focusin',
			(e) => runOf(e.target) && showDetails(runOf(e.target)),
		);
		map.addEventListener('click', (e) => {
			const run = runOf(e.target);
			if (dragged) /* the end of a pan, not a choice */ return;
			if (run && run.kind !== 'merged') select(run.kind === 'pa' ? run.seg : run);
			else if (run) setView(run.list[0].u0, run.list[run.list.length - 1].u1);
		});
		map.addEventListener('keydown', (e) => {
			const mid = (v0 + v1) / 2,
				span = v1 - v0;
			if (e.key === '+' || e.key === '=') zoom(0.5, mid);
			else if (e.key === '-') zoom(2, mid);
			else if (e.key === '0') setView(0, axis.total);
			else if (e.key === 'ArrowLeft') setView(v0 - span / 4, v1 - span / 4);
			else if (e.key === 'ArrowRight') setView(v0 + span / 4, v1 + span / 4);
			else return;
			e.preventDefault();
		});
		document.getElementById('zoom-in').addEventListener('click', () =>
			zoom(0.5, (v0 + v1) / 2),
		);
		document.getElementById('zoom-out').addEventListener('click', () =>
			zoom(2, (v0 + v1) / 2),
		);
		document.getElementById('zoom-reset').addEventListener('click', () =>
			setView(0, axis.total),
		);
		const box = document.getElementById('search');
		box.addEventListener('keydown', (e) => {
			if (e.key === 'Enter') search(box.value);
		});
		window.addEventListener('resize', redraw);
	}

	header();
	legend();
	totals();
	notes();
	document.getElementById('footer').textContent =
		'Made by ' +
		data.generator +
		'. This file is self-contained: it loads nothing from the network.';
	inputs();
	v0 = -axis.total * 0.005;
	v1 = axis.total * 1.005;
	draw();
	performance.mark('devsnap-drawn');
	const drawnMs = performance.now(),
		vaRuns = drawn;
	setTimeout(() => {
		if (!diffMode) {
			physical();
			drawPhysical(map.clientWidth || 1000);
		}
		performance.mark('devsnap-complete');
		window.devsnapReport = {
			drawnMs,
			completeMs: performance.now(),
			runsDrawn: vaRuns,
			segments: primary.length,
		};
	}, 0);
})();
