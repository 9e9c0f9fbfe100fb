// SPDX-License-Identifier: GPL-2.0-only
/*
 * Growing text buffers and string vectors.  An allocation that fails is
 * reported once and counted (kb_nomem); the add returns -ENOMEM and leaves
 * the buffer as it was.  kx_bindgen_run() fails the whole run when the
 * count is not zero, so text dropped for want of memory never reaches an
 * output: a generator that silently dropped text would emit wrong bindings.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

/* Allocation failures of this run (reset by kx_bindgen_run). */
static unsigned nomem;

int kb_nomem(void)
{
	if (!nomem++)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	return -ENOMEM;
}

unsigned kb_nomem_count(void)
{
	return nomem;
}

void kb_nomem_reset(void)
{
	nomem = 0;
}

char *kb_strdup(const char *s)
{
	char *r = strdup(s);
	if (!r)
		kb_nomem();
	return r;
}

static int kb_reserve(struct kb_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return kb_nomem();
	b->s = s;
	b->cap = cap;
	return 0;
}

int kb_puts(struct kb_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (kb_reserve(b, n))
		return -ENOMEM;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
	return 0;
}

int kb_printf(struct kb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if (kb_reserve(b, (size_t)n))
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *kb_str(const struct kb_buf *b)
{
	return b->s ? b->s : "";
}

void kb_free(struct kb_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int kb_strv_add(struct kb_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return kb_nomem();
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n] = kb_strdup(s);
	if (!sv->v[sv->n])
		return -ENOMEM;
	sv->n++;
	return 0;
}

bool kb_strv_has(const struct kb_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void kb_strv_free(struct kb_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
