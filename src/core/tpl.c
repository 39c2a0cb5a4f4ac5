#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "tpl.h"

#define TPL_DEPTH	32

struct tpl_run {
	const struct us_tpls	*set;
	int			 mode;
	struct us_buf		*out;
	struct us_error		*err;
	const json_t		*stack[TPL_DEPTH];
	int			 depth;
	int			 partials;
};

static us_tpl_translator	 tpl_translator;

static const struct us_tpl	*tpl_find(const struct us_tpls *, const char *);
static int	tpl_run(struct tpl_run *, const char *, const char *,
		    const char *, const char *);
static const json_t *tpl_lookup(struct tpl_run *, const char *);
static const char *tpl_part(const char *, char *, size_t);
static int	tpl_truthy(const json_t *);
static void	tpl_value(struct tpl_run *, const json_t *, int);
static void	tpl_text(struct tpl_run *, const char *);
static const char *tpl_close(const char *, const char *, const char *,
		    const char **, const char **);
static int	tpl_standalone(const char *, const char *, const char *,
		    const char *, const char **, const char **);

/* Installed once at start-up, before any thread renders. */
void
us_tpl_set_translator(us_tpl_translator fn)
{
	tpl_translator = fn;
}

void
us_tpl_add(struct us_tpls *set, const char *name, const char *src,
    size_t len)
{
	set->v = us_realloc(set->v, (set->n + 1) * sizeof(*set->v));
	set->v[set->n].name = us_strdup(name);
	set->v[set->n].src = us_strndup(src, len);
	set->v[set->n].len = len;
	set->n++;
}

/* Every regular file in dir becomes a template named after the file. */
int
us_tpl_load_dir(struct us_tpls *set, const char *dir, struct us_error *err)
{
	DIR		*d;
	struct dirent	*de;
	struct us_buf	 path, src;
	FILE		*fp;
	char		 chunk[8192];
	size_t		 n;
	int		 rc = US_OK;

	if ((d = opendir(dir)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "templates",
		    "cannot open template directory %s", dir));
	us_buf_init(&path);
	us_buf_init(&src);
	while ((de = readdir(d)) != NULL && rc == US_OK) {
		if (de->d_name[0] == '.')
			continue;
		us_buf_reset(&path);
		us_buf_appendf(&path, "%s/%s", dir, de->d_name);
		if ((fp = fopen(path.data, "r")) == NULL) {
			rc = us_error_set(err, US_E_INTERNAL, NULL, "templates",
			    "cannot read template %s", path.data);
			break;
		}
		us_buf_reset(&src);
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			us_buf_append(&src, chunk, n);
		if (ferror(fp))
			rc = us_error_set(err, US_E_INTERNAL, NULL, "templates",
			    "cannot read template %s", path.data);
		fclose(fp);
		us_tpl_add(set, de->d_name, src.data != NULL ? src.data : "",
		    src.len);
	}
	closedir(d);
	us_buf_free(&path);
	us_buf_free(&src);
	return (rc);
}

void
us_tpl_free(struct us_tpls *set)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].src);
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

static const struct us_tpl *
tpl_find(const struct us_tpls *set, const char *name)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i].name, name) == 0)
			return (&set->v[i]);
	}
	return (NULL);
}

int
us_tpl_render(const struct us_tpls *set, const char *name, const json_t *ctx,
    int mode, struct us_buf *out, struct us_error *err)
{
	const struct us_tpl	*t;
	struct tpl_run		 run;

	if ((t = tpl_find(set, name)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "template",
		    "no template named %s", name));
	memset(&run, 0, sizeof(run));
	run.set = set;
	run.mode = mode;
	run.out = out;
	run.err = err;
	run.stack[0] = ctx;
	run.depth = 1;
	return (tpl_run(&run, name, t->src, t->src, t->src + t->len));
}

static int
tpl_truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return (0);
	if (json_is_array(v))
		return (json_array_size(v) > 0);
	if (json_is_string(v))
		return (json_string_length(v) > 0);
	if (json_is_integer(v))
		return (json_integer_value(v) != 0);
	return (1);
}

/* Dotted names resolve their first part up the stack, then descend. */
/* The next dot-separated part of name into part; NULL past the end. */
static const char *
tpl_part(const char *name, char *part, size_t size)
{
	size_t	len;

	if (name == NULL)
		return (NULL);
	len = strcspn(name, ".");
	if (len >= size)
		len = size - 1;
	memcpy(part, name, len);
	part[len] = '\0';
	return (name[len] == '.' ? name + len + 1 : name + len);
}

static const json_t *
tpl_lookup(struct tpl_run *run, const char *name)
{
	const json_t	*v;
	char		 part[128];
	int		 i;

	if (strcmp(name, ".") == 0)
		return (run->stack[run->depth - 1]);
	name = tpl_part(name, part, sizeof(part));
	v = NULL;
	for (i = run->depth - 1; i >= 0 && v == NULL; i--) {
		if (json_is_object(run->stack[i]))
			v = json_object_get(run->stack[i], part);
	}
	while (v != NULL && *name != '\0') {
		name = tpl_part(name, part, sizeof(part));
		/* items.0: the first item, to test that a list is not empty. */
		if (json_is_array(v) && part[0] >= '0' && part[0] <= '9')
			v = json_array_get(v, (size_t)strtoul(part, NULL, 10));
		else
			v = json_object_get(v, part);
	}
	return (v);
}

static void
tpl_value(struct tpl_run *run, const json_t *v, int raw)
{
	char	num[64];

	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (raw || run->mode == US_TPL_TEXT)
			us_buf_append(run->out, json_string_value(v),
			    json_string_length(v));
		else
			us_esc_html(run->out, json_string_value(v));
		break;
	case JSON_INTEGER:
		(void)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		us_buf_puts(run->out, num);
		break;
	case JSON_REAL:
		(void)snprintf(num, sizeof(num), "%g", json_real_value(v));
		us_buf_puts(run->out, num);
		break;
	case JSON_TRUE:
		us_buf_puts(run->out, "true");
		break;
	default:
		break;
	}
}

/* Fixed text of the template, in the reader's language. */
static void
tpl_text(struct tpl_run *run, const char *msgid)
{
	const char	*lang, *s;

	lang = json_string_value(tpl_lookup(run, "ui_lang"));
	s = tpl_translator != NULL && lang != NULL ?
	    tpl_translator(lang, msgid) : msgid;
	if (run->mode == US_TPL_TEXT)
		us_buf_puts(run->out, s);
	else
		us_esc_html(run->out, s);
}

/*
 * Finds the {{/name}} closing the section whose body starts at p, minding
 * nested sections of the same name.  Returns the body end and sets *after
 * past the closing tag, *tagstart at its "{{".
 */
static const char *
tpl_close(const char *p, const char *end, const char *name,
    const char **tagstart, const char **after)
{
	const char	*o, *c, *t, *te;
	size_t		 nlen = strlen(name);
	int		 level = 1, same;

	while (p < end && (o = strstr(p, "{{")) != NULL && o < end) {
		if ((c = strstr(o, "}}")) == NULL || c >= end)
			return (NULL);
		/* The tag's name, without the blanks {{# name }} allows. */
		for (t = o + 3; t < c && *t == ' '; t++)
			;
		for (te = c; te > t && te[-1] == ' '; te--)
			;
		same = (size_t)(te - t) == nlen && strncmp(t, name, nlen) == 0;
		if ((o[2] == '#' || o[2] == '^') && same)
			level++;
		else if (o[2] == '/' && same && --level == 0) {
			*tagstart = o;
			*after = c + 2;
			return (o);
		}
		p = c + 2;
	}
	return (NULL);
}

/*
 * A tag alone on its line (only blanks around it): report the line's
 * bounds so the caller can drop it whole.
 */
static int
tpl_standalone(const char *begin, const char *end, const char *tag,
    const char *tagend, const char **ls, const char **le)
{
	const char	*a, *b;

	for (a = tag; a > begin && (a[-1] == ' ' || a[-1] == '\t'); a--)
		;
	if (a != begin && a[-1] != '\n')
		return (0);
	for (b = tagend; b < end && (*b == ' ' || *b == '\t'); b++)
		;
	if (b < end && *b == '\r')
		b++;
	if (b < end && *b != '\n')
		return (0);
	*ls = a;
	*le = b < end ? b + 1 : b;
	return (1);
}

/* begin is the start of the whole template, for the standalone test. */
static int
tpl_run(struct tpl_run *run, const char *tname, const char *begin,
    const char *p, const char *end)
{
	const char		*o, *c, *ls, *le, *body, *bend;
	const char		*after, *ctag;
	const json_t		*v;
	const struct us_tpl	*pt;
	char			 name[1024];
	size_t			 i, nlen;
	int			 kind, triple;

	while (p < end) {
		if ((o = strstr(p, "{{")) == NULL || o >= end) {
			us_buf_append(run->out, p, (size_t)(end - p));
			break;
		}
		triple = o[2] == '{';
		if ((c = strstr(o, triple ? "}}}" : "}}")) == NULL || c >= end)
			return (us_error_set(run->err, US_E_INTERNAL, NULL,
			    "template", "%s: unclosed tag", tname));
		kind = triple ? '{' : o[2];
		if (strchr("#^/>!{_", kind) == NULL)
			kind = 0;
		body = o + 2 + (kind != 0);
		while (*body == ' ')
			body++;
		for (bend = c; bend > body && bend[-1] == ' '; bend--)
			;
		nlen = (size_t)(bend - body);
		if (nlen == 0 || nlen >= sizeof(name))
			return (us_error_set(run->err, US_E_INTERNAL, NULL,
			    "template", "%s: bad tag", tname));
		memcpy(name, body, nlen);
		name[nlen] = '\0';
		after = c + (triple ? 3 : 2);

		if (kind == 0 || kind == '{') {
			us_buf_append(run->out, p, (size_t)(o - p));
			tpl_value(run, tpl_lookup(run, name), kind == '{');
			p = after;
			continue;
		}
		if (kind == '_') {
			us_buf_append(run->out, p, (size_t)(o - p));
			tpl_text(run, name);
			p = after;
			continue;
		}
		if (kind == '/')
			return (us_error_set(run->err, US_E_INTERNAL, NULL,
			    "template", "%s: stray {{/%s}}", tname, name));

		/* Section, partial or comment: drop the line if alone on it. */
		if (tpl_standalone(begin, end, o, after, &ls, &le)) {
			us_buf_append(run->out, p, (size_t)(ls - p));
			after = le;
		} else
			us_buf_append(run->out, p, (size_t)(o - p));

		if (kind == '!') {
			p = after;
			continue;
		}
		if (kind == '>') {
			if ((pt = tpl_find(run->set, name)) == NULL ||
			    run->partials >= 8)
				return (us_error_set(run->err, US_E_INTERNAL,
				    NULL, "template", "%s: no partial %s",
				    tname, name));
			run->partials++;
			if (!tpl_run(run, name, pt->src, pt->src,
			    pt->src + pt->len))
				return (US_FAIL);
			run->partials--;
			p = after;
			continue;
		}

		if ((bend = tpl_close(after, end, name, &ctag, &p)) == NULL)
			return (us_error_set(run->err, US_E_INTERNAL, NULL,
			    "template", "%s: {{%c%s}} is not closed", tname,
			    kind, name));
		if (tpl_standalone(begin, end, ctag, p, &ls, &le)) {
			bend = ls;
			p = le;
		}
		v = tpl_lookup(run, name);
		if (kind == '^') {
			if (!tpl_truthy(v) && !tpl_run(run, tname, begin, after, bend))
				return (US_FAIL);
			continue;
		}
		if (!tpl_truthy(v))
			continue;
		if (run->depth == TPL_DEPTH)
			return (us_error_set(run->err, US_E_INTERNAL, NULL,
			    "template", "%s: sections nested too deep", tname));
		if (json_is_array(v)) {
			for (i = 0; i < json_array_size(v); i++) {
				run->stack[run->depth++] = json_array_get(v, i);
				if (!tpl_run(run, tname, begin, after, bend))
					return (US_FAIL);
				run->depth--;
			}
		} else {
			run->stack[run->depth] = json_is_object(v) ? v :
			    run->stack[run->depth - 1];
			run->depth++;
			if (!tpl_run(run, tname, begin, after, bend))
				return (US_FAIL);
			run->depth--;
		}
	}
	return (US_OK);
}
