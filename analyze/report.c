// SPDX-License-Identifier: GPL-2.0-only
/* The audit's two outputs: text grouped by check, and JSON. */
#include "audit.h"

#include <string.h>

static const char *place(const struct kx_finding *f, char *buf, size_t len)
{
	if (f->member)
		snprintf(buf, len, "%s(%s)", f->input, f->member);
	else
		snprintf(buf, len, "%s", f->input);
	return buf;
}

static void print_finding_text(const struct kx_finding *f, FILE *out)
{
	char where[4096];

	fprintf(out, "  %s: %s: %s+0x%llx", kx_severity_name(f->severity),
		place(f, where, sizeof(where)), f->section ? f->section : "?",
		(unsigned long long)f->offset);
	if (f->symbol)
		fprintf(out, " (in %s)", f->demangled ? f->demangled : f->symbol);
	fprintf(out, ": %s%s\n", f->message, f->allowed ? " [accepted by --allow]" : "");
}

void kx_audit_print_text(const struct kx_audit *a, FILE *out)
{
	int c;
	size_t i, n;

	for (c = 0; c < KX_NCHECKS; c++) {
		const struct kx_check_info *ci = kx_check_info(c);

		for (i = 0, n = 0; i < a->nfindings; i++)
			n += a->findings[i].check == (enum kx_check)c;
		if (!n)
			continue;
		fprintf(out, "%s: %zu finding%s: %s\n", ci->id, n, n == 1 ? "" : "s", ci->what);
		for (i = 0; i < a->nfindings; i++)
			if (a->findings[i].check == (enum kx_check)c)
				print_finding_text(&a->findings[i], out);
	}
	fprintf(out, "summary: %zu input%s, %zu error%s, %zu warning%s, %zu note%s\n", a->ninputs,
		a->ninputs == 1 ? "" : "s", a->count[KX_SEV_ERROR],
		a->count[KX_SEV_ERROR] == 1 ? "" : "s", a->count[KX_SEV_WARNING],
		a->count[KX_SEV_WARNING] == 1 ? "" : "s", a->count[KX_SEV_NOTE],
		a->count[KX_SEV_NOTE] == 1 ? "" : "s");
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string (RFC 8259): quotes, backslashes and control characters
 * escaped; bytes that are not UTF-8 become U+FFFD. */
static void json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fputc('\\', out);
			fputc(*p++, out);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, out);
		} else if ((n = utf8_len(p))) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			fputs("\\ufffd", out);
			p++;
		}
	}
	fputc('"', out);
}

static void print_finding_json(const struct kx_finding *f, FILE *out)
{
	fputs("{\"check\":", out);
	json_str(out, kx_check_info(f->check)->id);
	fputs(",\"severity\":", out);
	json_str(out, kx_severity_name(f->severity));
	fputs(",\"input\":", out);
	json_str(out, f->input);
	fputs(",\"member\":", out);
	json_str(out, f->member);
	fputs(",\"section\":", out);
	json_str(out, f->section ? f->section : "");
	fprintf(out, ",\"offset\":%llu,\"symbol\":", (unsigned long long)f->offset);
	json_str(out, f->symbol);
	fputs(",\"demangled\":", out);
	json_str(out, f->demangled);
	fputs(",\"message\":", out);
	json_str(out, f->message);
	fputc('}', out);
}

void kx_audit_print_json(const struct kx_audit *a, FILE *out)
{
	const struct kx_kernel *k = a->opt.kernel;
	size_t i;

	fputs("{\"inputs\":[", out);
	for (i = 0; i < a->ninputs; i++) {
		if (i)
			fputc(',', out);
		json_str(out, a->inputs[i]);
	}
	fputs("],\"kernel\":", out);
	if (k) {
		fputs("{\"release\":", out);
		json_str(out, k->release);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fputs(",\"findings\":[", out);
	for (i = 0; i < a->nfindings; i++) {
		fputs(i ? ",\n" : "\n", out);
		print_finding_json(&a->findings[i], out);
	}
	fprintf(out, "],\"summary\":{\"error\":%zu,\"warning\":%zu,\"note\":%zu}}\n",
		a->count[KX_SEV_ERROR], a->count[KX_SEV_WARNING], a->count[KX_SEV_NOTE]);
}
