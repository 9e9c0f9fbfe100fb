/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rust entry points of tracepoints (rust_do_trace_<name>) for kernels
 * whose <linux/tracepoint.h> lacks DEFINE_RUST_DO_TRACE (before 6.13:
 * Debian's 5.10, 6.1 and 6.12). Meant to be given to the compiler with
 * -include ahead of every C file of a module, so that a C file written
 * for upstream,
 *
 *	#define CREATE_TRACE_POINTS
 *	#define CREATE_RUST_TRACE_POINTS
 *	#include <trace/events/foo.h>
 *
 * defines, next to each tracepoint, the function kernel::declare_trace!
 * calls after it has tested the tracepoint's static key. On a kernel
 * that has DEFINE_RUST_DO_TRACE this header does nothing: the kernel's
 * own define_trace.h does the same.
 *
 * How: the second pass of define_trace.h turns TRACE_EVENT, DEFINE_EVENT,
 * DECLARE_TRACE and their _CONDITION/_PRINT forms into
 * DEFINE_TRACE(name, proto, args). Here DEFINE_TRACE keeps its expansion
 * (DEFINE_TRACE_FN with no reg/unreg, as in <linux/tracepoint.h> of these
 * kernels) and, when CREATE_RUST_TRACE_POINTS is defined at that point
 * (empty or 1), appends rust_do_trace_<name>(proto), which calls the
 * inline trace_<name>() of the first pass. TRACE_EVENT_FN (own reg/unreg
 * callbacks) goes to DEFINE_TRACE_FN directly and gets no Rust entry
 * point here.
 */
#ifndef KELFIX_FILES_TRACE_H
#define KELFIX_FILES_TRACE_H

#include <linux/tracepoint.h>

#if defined(TRACEPOINTS_ENABLED) && !defined(DEFINE_RUST_DO_TRACE)

/*
 * 1 if CREATE_RUST_TRACE_POINTS is defined as nothing or as 1, else 0:
 * the argument-placeholder trick of <linux/kconfig.h>, with a placeholder
 * for the empty definition too.
 */
#define __KELFIX_RUST_TP_ARG_ 0,
#define __KELFIX_RUST_TP_ARG_1 0,
#define __KELFIX_RUST_TP_SECOND(ignored, val, ...) val
#define __KELFIX_RUST_TP_ON3(junk) __KELFIX_RUST_TP_SECOND(junk 1, 0, 0)
#define __KELFIX_RUST_TP_ON2(val) __KELFIX_RUST_TP_ON3(__KELFIX_RUST_TP_ARG_##val)
#define __KELFIX_RUST_TP_ON(val) __KELFIX_RUST_TP_ON2(val)

#define __KELFIX_RUST_DO_TRACE_0(name, proto, args)
#define __KELFIX_RUST_DO_TRACE_1(name, proto, args) \
	notrace void rust_do_trace_##name(proto);   \
	notrace void rust_do_trace_##name(proto)    \
	{                                           \
		trace_##name(args);                 \
	}
#define __KELFIX_RUST_DO_TRACE_SEL2(on) __KELFIX_RUST_DO_TRACE_##on
#define __KELFIX_RUST_DO_TRACE_SEL(on) __KELFIX_RUST_DO_TRACE_SEL2(on)

#undef DEFINE_TRACE
#define DEFINE_TRACE(name, proto, args)                                           \
	DEFINE_TRACE_FN(name, NULL, NULL, PARAMS(proto), PARAMS(args));           \
	__KELFIX_RUST_DO_TRACE_SEL(__KELFIX_RUST_TP_ON(CREATE_RUST_TRACE_POINTS)) \
	(name, PARAMS(proto), PARAMS(args))

#endif /* TRACEPOINTS_ENABLED && !DEFINE_RUST_DO_TRACE */

#endif /* KELFIX_FILES_TRACE_H */
