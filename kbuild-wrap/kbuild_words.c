// SPDX-License-Identifier: GPL-2.0-only
/* Argument vectors and shell words: see kbuild_words.h. */
#include "kbuild_words.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int strv_grow(struct kb_strv *sv)
{
	size_t cap = sv->cap ? sv->cap * 2 : 16;
	char **v;

	if (sv->n < sv->cap) /* room for one more and the NULL */
		return 0;
	v = realloc(sv->v, (cap + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	sv->v = v;
	sv->cap = cap;
	return 0;
}

int kb_strv_pushn(struct kb_strv *sv, const char *s, size_t len)
{
	char *copy;

	if (strv_grow(sv))
		return -ENOMEM;
	copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	sv->v[sv->n++] = copy;
	sv->v[sv->n] = NULL;
	return 0;
}

int kb_strv_push(struct kb_strv *sv, const char *s)
{
	return kb_strv_pushn(sv, s, strlen(s));
}

int kb_strv_push_words(struct kb_strv *sv, const char *s)
{
	size_t len;
	int err;

	for (;;) {
		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (!len)
			return 0;
		err = kb_strv_pushn(sv, s, len);
		if (err)
			return err;
		s += len;
	}
}

int kb_strv_append(struct kb_strv *sv, const struct kb_strv *src)
{
	int err;

	for (size_t i = 0; i < src->n; i++) {
		err = kb_strv_push(sv, src->v[i]);
		if (err)
			return err;
	}
	return 0;
}

void kb_strv_free(struct kb_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

/* The word being built by kb_shell_split. */
struct word {
	char *buf;
	size_t len;
	bool open; /* a word has started (even an empty one: '') */
};

static int word_put(struct word *w, char c)
{
	char *p = realloc(w->buf, w->len + 2);

	if (!p)
		return -ENOMEM;
	w->buf = p;
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
	w->open = true;
	return 0;
}

static int word_end(struct word *w, struct kb_strv *words)
{
	int err = 0;

	if (w->open)
		err = kb_strv_pushn(words, w->buf ? w->buf : "", w->len);
	w->len = 0;
	w->open = false;
	return err;
}

/* Copies a '...' or "..." quotation starting at *p into w; advances *p
 * past the closing quote.  -EINVAL when it is not closed. */
static int word_quoted(struct word *w, const char **p)
{
	char q = *(*p)++;
	int err;

	w->open = true;
	for (; **p != q; (*p)++) {
		if (!**p)
			return -EINVAL;
		if (q == '"' && **p == '\\' && strchr("\\\"$`\n", (*p)[1]))
			(*p)++;
		err = word_put(w, **p);
		if (err)
			return err;
	}
	(*p)++;
	return 0;
}

static int split_words(const char *p, struct kb_strv *words, struct word *w)
{
	int err = 0;

	while (*p && !strchr(";&|\n", *p) && !err) {
		if (*p == ' ' || *p == '\t') {
			err = word_end(w, words);
			p++;
		} else if (*p == '\'' || *p == '"') {
			err = word_quoted(w, &p);
		} else if (*p == '\\' && p[1]) {
			err = word_put(w, p[1]);
			p += 2;
		} else {
			err = word_put(w, *p++);
		}
	}
	return err ? err : word_end(w, words);
}

int kb_shell_split(const char *line, struct kb_strv *words)
{
	struct word w = { 0 };
	int err = split_words(line, words, &w);

	free(w.buf);
	return err;
}

/* Characters a POSIX shell leaves alone inside a word. */
static bool shell_plain(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			       "0123456789_@%+=:,./-") == strlen(s);
}

void kb_shell_quote(FILE *f, const char *s)
{
	if (shell_plain(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}
