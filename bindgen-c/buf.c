// SPDX-License-Identifier: GPL-2.0-only
/* Growing text buffers and string vectors.  Allocation failure is fatal:
 * a generator that silently drops text would emit wrong bindings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("kelfix-bindgen: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void kb_reserve(struct kb_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void kb_puts(struct kb_buf *b, const char *s)
{
	size_t n = strlen(s);
	kb_reserve(b, n);
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void kb_printf(struct kb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kb_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
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

void kb_strv_add(struct kb_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n] = strdup(s);
	if (!sv->v[sv->n])
		abort();
	sv->n++;
}

void kb_strv_free(struct kb_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
