#include <sys/stat.h>

#include <dirent.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "plugin/plugin.h"

struct render_sink {
	struct us_p_sink	 sink;
	struct us_buf		*out;
	char			 error[256];
	int			 failed;
};

static int	name_cmp(const void *, const void *);
static const struct us_plugin *plugin_adopt(const struct us_plugin *);
static void	plugin_identity(const char *, char *, size_t);
static int	sink_write(struct us_p_sink *, const void *, size_t);
static void	sink_error(struct us_p_sink *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * The size of a descriptor up to and including a field: what a plugin of
 * the minor that added the field has at least.
 */
#define DESC_UPTO(f)	(offsetof(struct us_plugin, f) + \
			    sizeof(((struct us_plugin *)0)->f))
#define MODEL_UPTO(f)	(offsetof(struct us_p_statement, f) + \
			    sizeof(((struct us_p_statement *)0)->f))

/* What each minor of this major made the descriptor and model: [minor]. */
static const size_t	desc_min[US_PLUGIN_ABI_MINOR + 1] = {
	DESC_UPTO(render), DESC_UPTO(file_suffix), DESC_UPTO(file_suffix),
};
static const size_t	model_min[US_PLUGIN_ABI_MINOR + 1] = {
	MODEL_UPTO(ncountries), MODEL_UPTO(format_date),
	MODEL_UPTO(nactions_by_channel),
};

/*
 * The descriptor, field by field, as PostgreSQL checks PG_MODULE_MAGIC:
 * the first mismatch is named so the plugin's author knows what to
 * rebuild.  The major must match; a minor up to the server's loads, with
 * the sizes that minor had (see docs/plugins.md for the policy).  Only
 * fields every descriptor of that minor has are read here.
 */
int
us_plugin_check(const struct us_plugin *p, char *why, size_t len)
{
	size_t	i;

	if (p->magic != US_PLUGIN_MAGIC)
		(void)snprintf(why, len, "not an undersigned plugin (magic "
		    "0x%08x, expected 0x%08x)", p->magic, US_PLUGIN_MAGIC);
	/* Another major's descriptor may not even have a minor. */
	else if (p->abi_major != US_PLUGIN_ABI_MAJOR)
		(void)snprintf(why, len, "plugin built for ABI %u, server has "
		    "%u.%u: rebuild it against the server's header",
		    p->abi_major, US_PLUGIN_ABI_MAJOR, US_PLUGIN_ABI_MINOR);
	else if (p->abi_minor > US_PLUGIN_ABI_MINOR)
		(void)snprintf(why, len, "plugin built for ABI %u.%u, server "
		    "has %u.%u: upgrade the server or rebuild the plugin",
		    p->abi_major, p->abi_minor, US_PLUGIN_ABI_MAJOR,
		    US_PLUGIN_ABI_MINOR);
	else if (p->descriptor_size < desc_min[p->abi_minor] ||
	    (p->abi_minor == US_PLUGIN_ABI_MINOR &&
	    p->descriptor_size != sizeof(struct us_plugin)))
		(void)snprintf(why, len, "descriptor is %zu bytes, ABI %u.%u's "
		    "is %zu", p->descriptor_size, p->abi_major, p->abi_minor,
		    p->abi_minor == US_PLUGIN_ABI_MINOR ?
		    sizeof(struct us_plugin) : desc_min[p->abi_minor]);
	else if (p->model_size < model_min[p->abi_minor] ||
	    p->model_size > sizeof(struct us_p_statement))
		(void)snprintf(why, len, "statement model is %zu bytes, ABI "
		    "%u.%u's is %zu", p->model_size, p->abi_major,
		    p->abi_minor, p->abi_minor == US_PLUGIN_ABI_MINOR ?
		    sizeof(struct us_p_statement) : model_min[p->abi_minor]);
	else if (p->name == NULL || *p->name == '\0' ||
	    strspn(p->name, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(p->name) || strlen(p->name) > 40)
		(void)snprintf(why, len, "name must be 1-40 of a-z, 0-9 and "
		    "'-'");
	else if (p->title == NULL || p->mime_type == NULL ||
	    p->extension == NULL || p->version == NULL)
		(void)snprintf(why, len, "descriptor \"%s\" lacks its title, "
		    "mime_type, extension or version", p->name);
	else if (strspn(p->extension, "abcdefghijklmnopqrstuvwxyz0123456789")
	    != strlen(p->extension) || *p->extension == '\0')
		(void)snprintf(why, len, "extension of \"%s\" must be a-z0-9 "
		    "without a dot", p->name);
	else if (strpbrk(p->mime_type, "\r\n") != NULL ||
	    strchr(p->mime_type, '/') == NULL)
		(void)snprintf(why, len, "mime_type of \"%s\" is not a media "
		    "type", p->name);
	else if (p->render == NULL)
		(void)snprintf(why, len, "descriptor \"%s\" has no render "
		    "function", p->name);
	else {
		for (i = 0; p->title[i] != '\0'; i++) {
			if ((unsigned char)p->title[i] < 0x20)
				break;
		}
		if (p->title[i] == '\0')
			return (US_OK);
		(void)snprintf(why, len, "title of \"%s\" has control "
		    "characters", p->name);
	}
	return (US_FAIL);
}

/*
 * The server's own copy of a checked descriptor: the bytes the plugin's
 * header had, and zeros (absent, NULL) for fields added in later minors,
 * so that the server reads every field of its own header safely.
 */
static const struct us_plugin *
plugin_adopt(const struct us_plugin *p)
{
	struct us_plugin	*copy;

	copy = us_calloc(1, sizeof(*copy));
	memcpy(copy, p, p->descriptor_size < sizeof(*copy) ?
	    p->descriptor_size : sizeof(*copy));
	return (copy);
}

/*
 * Which build of the file this is: its device, inode, size and time of
 * last change.  A plugin rebuilt without a new version string still gets
 * fresh renders, since the render cache is keyed by this too.
 */
static void
plugin_identity(const char *path, char *id, size_t len)
{
	struct stat	sb;

	if (stat(path, &sb) == -1) {
		(void)snprintf(id, len, "0");
		return;
	}
	(void)snprintf(id, len, "%llx%llx%llx%llx",
	    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
	    (unsigned long long)sb.st_size,
	    (unsigned long long)sb.st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)sb.st_mtim.tv_nsec);
}

/*
 * Loads every *.so in dir, in name order.  A bad plugin is refused with
 * a report naming the file and the reason, and the others still load;
 * the second plugin to claim a name is refused.  Opened RTLD_LOCAL so
 * plugins cannot see each other's symbols, and RTLD_NODELETE because
 * libraries such as GObject/Pango register types and threads that must
 * outlive a dlclose().
 */
int
us_plugins_load(struct us_plugins *set, const char *dir,
    us_plugin_report report)
{
	DIR				*d;
	struct dirent			*de;
	const struct us_plugin *const	*list;
	char				**files = NULL, path[4096], why[256];
	size_t				 nfiles = 0, i, j, len, added;
	void				*h;

	memset(set, 0, sizeof(*set));
	if ((d = opendir(dir)) == NULL) {
		report(dir, "cannot open the plugin directory");
		return (US_FAIL);
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 ||
		    strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		files = us_realloc(files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = us_strdup(de->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof(*files), name_cmp);

	for (i = 0; i < nfiles; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) ==
		    NULL) {
			report(path, dlerror());
			continue;
		}
		if ((list = dlsym(h, US_PLUGIN_SYMBOL)) == NULL) {
			report(path, "no \"" US_PLUGIN_SYMBOL "\" descriptor "
			    "list (use US_PLUGIN_EXPORT)");
			dlclose(h);
			continue;
		}
		added = 0;
		for (; *list != NULL; list++) {
			if (!us_plugin_check(*list, why, sizeof(why))) {
				report(path, why);
				continue;
			}
			for (j = 0; j < set->n; j++) {
				if (strcmp(set->v[j].p->name, (*list)->name) == 0)
					break;
			}
			if (j < set->n) {
				(void)snprintf(why, sizeof(why), "format \"%s\" "
				    "is already provided by %s", (*list)->name,
				    set->v[j].path);
				report(path, why);
				continue;
			}
			if ((*list)->init != NULL && (*list)->init() != 0) {
				(void)snprintf(why, sizeof(why), "\"%s\" failed "
				    "to initialise", (*list)->name);
				report(path, why);
				continue;
			}
			set->v = us_realloc(set->v, (set->n + 1) *
			    sizeof(*set->v));
			set->v[set->n].p = plugin_adopt(*list);
			plugin_identity(path, set->v[set->n].id,
			    sizeof(set->v[set->n].id));
			set->v[set->n].path = us_strdup(path);
			set->n++;
			added++;
		}
		if (added == 0) {
			dlclose(h);
			continue;
		}
		set->handles = us_realloc(set->handles, (set->nhandles + 1) *
		    sizeof(*set->handles));
		set->handles[set->nhandles++] = h;
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return (US_OK);
}

void
us_plugins_unload(struct us_plugins *set)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (set->v[i].p->cleanup != NULL)
			set->v[i].p->cleanup();
		free(set->v[i].path);
		free((void *)set->v[i].p);
	}
	for (i = 0; i < set->nhandles; i++)
		dlclose(set->handles[i]);
	free(set->v);
	free(set->handles);
	memset(set, 0, sizeof(*set));
}

const struct us_format *
us_plugins_find(const struct us_plugins *set, const char *name)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->v[i].p->name, name) == 0)
			return (&set->v[i]);
	}
	return (NULL);
}

/* A copy of the bytes, up to the documented limit. */
static int
sink_write(struct us_p_sink *s, const void *data, size_t len)
{
	struct render_sink	*rs = s->ctx;

	if (len > US_PLUGIN_MAX_OUTPUT - rs->out->len) {
		if (!rs->failed)
			(void)snprintf(rs->error, sizeof(rs->error), "the "
			    "output would pass %zu MiB",
			    US_PLUGIN_MAX_OUTPUT / (1024 * 1024));
		rs->failed = 1;
		return (US_PLUGIN_ERROR);
	}
	us_buf_append(rs->out, data, len);
	return (US_PLUGIN_OK);
}

static void
sink_error(struct us_p_sink *s, const char *fmt, ...)
{
	struct render_sink	*rs = s->ctx;
	va_list			 ap;

	va_start(ap, fmt);
	(void)vsnprintf(rs->error, sizeof(rs->error), fmt, ap);
	va_end(ap);
	rs->failed = 1;
}

/* Renders into out; a plugin's failure becomes an error naming it. */
int
us_plugin_render(const struct us_plugin *p, const struct us_p_statement *st,
    struct us_buf *out, struct us_error *err)
{
	struct render_sink	rs;
	int			rc;

	memset(&rs, 0, sizeof(rs));
	rs.sink.ctx = &rs;
	rs.sink.write = sink_write;
	rs.sink.error = sink_error;
	rs.sink.size = sizeof(rs.sink);
	rs.out = out;
	rc = p->render(st, &rs.sink);
	if (rc != US_PLUGIN_OK || rs.failed) {
		us_log(LOG_ERR, "plugin %s failed: %s", p->name,
		    rs.error[0] != '\0' ? rs.error : "no reason given");
		return (us_error_set(err, US_E_INTERNAL, NULL, "render_failed",
		    "The %s could not be produced: %s", p->title,
		    rs.error[0] != '\0' ? rs.error : "the plugin failed"));
	}
	return (US_OK);
}

/*
 * A download's file name: {slug}[-{lang}]{suffix}.{extension}, where the
 * suffix is the plugin's file_suffix, else nothing when the format's
 * name is its extension and ".{name}" otherwise.  So every format of a
 * statement, and every language version, has a file name of its own:
 * free-the-four.press-release.txt next to free-the-four.txt.
 */
void
us_plugin_filename(const struct us_plugin *p, const char *slug,
    const char *lang, char *out, size_t len)
{
	const char	*suffix, *dot;

	if ((suffix = p->file_suffix) == NULL)
		suffix = strcmp(p->name, p->extension) == 0 ? "" : p->name;
	dot = p->file_suffix == NULL && *suffix != '\0' ? "." : "";
	(void)snprintf(out, len, "%s%s%s%s%s.%s", slug,
	    lang != NULL && *lang != '\0' ? "-" : "",
	    lang != NULL ? lang : "", dot, suffix, p->extension);
}
