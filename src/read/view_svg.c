// SPDX-License-Identifier: MIT
/*
 * devsnap view --svg: the address strip alone, for papers and slides.  The
 * same picture the report draws at its widest: runs coloured by state and
 * hatched by permission, overlapping runs one block, every block and gap
 * as wide as the log of its size, runs narrower than a pixel merged.
 */
#include "read/view.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "basic/units.h"

#define SVG_W 1200.0
#define STRIP_Y 34
#define STRIP_H 40
#define MIN_PX 2.0
#define NSTATES (VIEW_STATE_UNKNOWN + 1)

/* The report's palette (src/view/report.css), by state. */
static const char *const state_colour[NSTATES] = {
	"#2e7d32", "#6d4c41", "#6a1b9a", "#c62828", "#1565c0", "#ef6c00", "#ad1457", "#9e9e9e",
};

/* Where the walk over the segments stands: the current block, the units so far. */
struct axis {
	const struct dumpview *v;
	double page, u, scale; /* scale: pixels per unit, 0 while measuring */
	uint64_t block_end;
	bool in_block;
	FILE *out;
	/* runs waiting to be merged into one rect */
	double pend_x0, pend_x1;
	uint64_t pend_va, pend_bytes[NSTATES];
	unsigned pend_n;
};

static double log_pages(const struct axis *a, uint64_t bytes)
{
	double pages = (double)bytes / a->page;

	return log2(pages > 1 ? pages : 1);
}

/* Block and gap widths as report.js makeAxis() gives them. */
static double gap_units(const struct axis *a, uint64_t gap)
{
	return gap ? 0.6 + 0.4 * log2(1 + (double)gap / a->page) : 0;
}

static void flush(struct axis *a)
{
	unsigned best = 0;

	if (!a->pend_n)
		return;
	for (unsigned s = 1; s < NSTATES; s++)
		if (a->pend_bytes[s] > a->pend_bytes[best])
			best = s;
	fprintf(a->out, "<rect class=\"run st-%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
		"height=\"%d\"><title>0x%" PRIx64 ": %u runs</title></rect>\n",
		view_state_name(best), a->pend_x0, STRIP_Y, fmax(a->pend_x1 - a->pend_x0, 1),
		STRIP_H, a->pend_va, a->pend_n);
	a->pend_n = 0;
}

static void draw_run(struct axis *a, const struct devsnap_segment *l, double u0, double u1)
{
	double x0 = u0 * a->scale, x1 = u1 * a->scale;
	unsigned state = view_state(l);
	char size[BYTES_BUF];
	double w;

	if (a->pend_n && x0 - a->pend_x1 > 1)
		flush(a);
	if (x1 - x0 < MIN_PX) {
		if (!a->pend_n) {
			a->pend_x0 = x0;
			a->pend_va = l->va;
			memset(a->pend_bytes, 0, sizeof(a->pend_bytes));
		}
		a->pend_x1 = fmax(a->pend_x1, x1);
		a->pend_bytes[state] += l->size;
		a->pend_n++;
		if (a->pend_x1 - a->pend_x0 >= MIN_PX)
			flush(a);
		return;
	}
	flush(a);
	w = fmax(x1 - x0 - (x1 - x0 > 4), 1);
	fprintf(a->out, "<rect class=\"run st-%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
		"height=\"%d\"><title>0x%" PRIx64 " PA 0x%" PRIx64 " %s %s</title></rect>\n",
		view_state_name(state), x0, STRIP_Y, w, STRIP_H, l->va, l->pa,
		format_bytes(l->size, size), view_state_name(state));
	for (unsigned bit = 2; bit; bit >>= 1) /* writable, then executable: hatched */
		if (l->p_flags & bit)
			fprintf(a->out, "<rect class=\"h%c\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
				"height=\"%d\"/>\n", bit == 2 ? 'w' : 'x', x0, STRIP_Y, w, STRIP_H);
}

static void gap_label(struct axis *a, uint64_t gap, double u0, double u1)
{
	char size[BYTES_BUF];

	if ((u1 - u0) * a->scale >= 64)
		fprintf(a->out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">\u2026 %s \u2026"
			"</text>\n", (u0 + u1) / 2 * a->scale, STRIP_Y + STRIP_H / 2 + 4,
			format_bytes(gap, size));
}

/* One pass over the segments in VA order; with a scale, draws them. */
static void walk(struct axis *a)
{
	struct devsnap_segment l, next;
	uint32_t n = a->v->nsegs;

	a->u = 0;
	a->in_block = false;
	for (uint32_t i = 0; i < n;) {
		uint64_t va, end;
		uint32_t first = i;
		double w, span;

		dumpview_load(a->v, i, &l);
		va = l.va;
		end = l.va + l.size;
		for (i++; i < n && (dumpview_load(a->v, i, &next), next.va < end); i++)
			end = next.va + next.size > end ? next.va + next.size : end;
		if (a->in_block) {
			double g = gap_units(a, va - a->block_end);

			if (a->scale)
				gap_label(a, va - a->block_end, a->u, a->u + g);
			a->u += g;
		}
		w = 1 + log_pages(a, end - va);
		span = (end - va) ? (double)(end - va) : 1; /* end is 0 at the top of the space */
		for (uint32_t j = first; a->scale && j < i; j++) {
			dumpview_load(a->v, j, &l);
			draw_run(a, &l, a->u + w * (double)(l.va - va) / span,
				 a->u + w * (double)(l.va + l.size - va) / span);
		}
		a->u += w;
		a->block_end = end;
		a->in_block = true;
	}
	if (a->scale)
		flush(a);
}

/* Text from the dump, as XML character data: markup characters escaped,
 * control characters and non-ASCII bytes shown as '?'. */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else
			fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', out);
	}
}

static void header(FILE *out, const struct dumpview *v, double height)
{
	struct devsnap_segment first, last;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\" font-size=\"11\">\n<style>\n"
		".hw{fill:url(#hw)} .hx{fill:url(#hx)} text{fill:#616161}\n", SVG_W, height, SVG_W,
		height);
	for (unsigned s = 0; s < NSTATES; s++)
		fprintf(out, ".st-%s{fill:%s}\n", view_state_name(s), state_colour[s]);
	fputs("</style>\n<defs>\n", out);
	fputs("<pattern id=\"hw\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#fff\" "
	      "fill-opacity=\"0.55\"/></pattern>\n"
	      "<pattern id=\"hx\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(-45)\"><rect width=\"2\" height=\"6\" fill=\"#fff\" "
	      "fill-opacity=\"0.55\"/></pattern>\n"
	      "</defs>\n", out);
	fprintf(out, "<rect x=\"0\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"#eceff1\"/>\n",
		STRIP_Y, SVG_W, STRIP_H);
	fputs("<text x=\"0\" y=\"14\" font-weight=\"bold\" style=\"fill:#212121\">", out);
	xml_text(out, v->has_info ? v->info.device : v->path);
	if (v->has_info) {
		fputs(" (", out);
		xml_text(out, v->info.driver);
		fputs(")", out);
	}
	if (v->nsegs) {
		dumpview_load(v, 0, &first);
		dumpview_load(v, v->nsegs - 1, &last);
		fprintf(out, ": device VA 0x%" PRIx64 " \u2013 0x%" PRIx64, first.va,
			last.va + last.size);
	}
	fprintf(out, ", %" PRIu32 " %s</text>\n", v->nsegs,
		plural(v->nsegs, "segment", "segments"));
}

static void legend(FILE *out, double y)
{
	double x = 0;

	for (unsigned s = 0; s < NSTATES; s++) {
		fprintf(out, "<rect class=\"st-%s\" x=\"%.0f\" y=\"%.0f\" width=\"12\" "
			"height=\"10\"/><text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
			view_state_name(s), x, y, x + 16, y + 9, view_state_name(s));
		x += 40 + 7.0 * (double)strlen(view_state_name(s));
	}
	fprintf(out, "<rect fill=\"#607d8b\" x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"10\"/>"
		"<rect class=\"hw\" x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"10\"/>"
		"<text x=\"%.0f\" y=\"%.0f\">writable: hatched /, executable: hatched \\</text>\n",
		x, y, x, y, x + 16, y + 9);
}

int view_write_svg(FILE *out, const struct dumpview *v)
{
	struct axis a = { .v = v, .page = 4096, .out = out };
	double height = STRIP_Y + STRIP_H + 40;

	if (v->has_info && v->info.page_size)
		a.page = v->info.page_size;
	walk(&a);
	a.scale = SVG_W / (a.u > 0 ? a.u : 1);
	header(out, v, height);
	walk(&a);
	legend(out, STRIP_Y + STRIP_H + 16);
	fputs("</svg>\n", out);
	return ferror(out) ? -EIO : 0;
}
