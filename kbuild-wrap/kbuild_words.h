/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argument vectors and shell words for kelfix-kbuild: kbuild records its
 * compile commands as shell command lines, and kelfix-kbuild prints flags
 * back as one.
 */
#ifndef KELFIX_KBUILD_WORDS_H
#define KELFIX_KBUILD_WORDS_H

#include <stddef.h>
#include <stdio.h>

/*
 * A growable vector of strings.  It owns every string in it; v is kept
 * NULL-terminated (once anything was pushed), so it can be an argv.
 * Zero-initialise it; free it with kb_strv_free().
 */
struct kb_strv {
	char **v;
	size_t n;
	size_t cap;
};

/* Append a copy of s (of its first len bytes for _pushn). 0 or -ENOMEM. */
int kb_strv_push(struct kb_strv *sv, const char *s);
int kb_strv_pushn(struct kb_strv *sv, const char *s, size_t len);
/* Append each space-separated word of s (table spellings, no quoting). */
int kb_strv_push_words(struct kb_strv *sv, const char *s);
/* Append every string of src. */
int kb_strv_append(struct kb_strv *sv, const struct kb_strv *src);
void kb_strv_free(struct kb_strv *sv);

/*
 * Split the first command of a POSIX shell command line into words:
 * blanks separate words; '...', "..." (with \\ \" \$ \` escapes) and a
 * backslash outside quotes quote; an unquoted ';', '&', '|' or newline
 * ends the command.  Nothing is expanded.  0, -EINVAL for an unterminated
 * quote, -ENOMEM.
 */
int kb_shell_split(const char *line, struct kb_strv *words);

/* Write s to f, in single quotes when a shell would otherwise change it. */
void kb_shell_quote(FILE *f, const char *s);

#endif
