/*
 * us_tpl: logic-less templates (a subset of Mustache) rendered from a
 * JSON model, so pages and emails are written in assets/ and not in C.
 *
 *   {{name}} {{a.b}} {{.}}   value, escaped in HTML mode
 *   {{{name}}}               value, never escaped (pre-rendered HTML)
 *   {{#name}}..{{/name}}     section: once if truthy, per item if array
 *   {{^name}}..{{/name}}     inverted section: if falsy or empty
 *   {{> other}}              another template, same context
 *   {{! comment}}
 *   {{_ Some text}}          Some text in the reader's language: the
 *                            model's "ui_lang", through the translator
 *                            set with us_tpl_set_translator()
 * A line holding only a section, comment or partial tag disappears whole.
 */
#ifndef US_TPL_H
#define US_TPL_H

#include <jansson.h>

#include "buf.h"
#include "error.h"

#define US_TPL_HTML	0
#define US_TPL_TEXT	1

struct us_tpl {
	char	*name;
	char	*src;
	size_t	 len;
};

struct us_tpls {
	struct us_tpl	*v;
	size_t		 n;
};

typedef const char	*(*us_tpl_translator)(const char *, const char *);

void	us_tpl_set_translator(us_tpl_translator);
int	us_tpl_load_dir(struct us_tpls *, const char *, struct us_error *);
void	us_tpl_add(struct us_tpls *, const char *, const char *, size_t);
void	us_tpl_free(struct us_tpls *);
int	us_tpl_render(const struct us_tpls *, const char *, const json_t *,
	    int, struct us_buf *, struct us_error *);

#endif
