#include <sys/prctl.h>
#include <sys/syscall.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/http.h"

#include <kore/seccomp.h>

/*
 * Start-up.  In the parent, before workers fork: the environment is
 * checked strictly, countries, templates and static files are loaded, and
 * the listener is bound to $UNDERSIGNED_LISTEN (127.0.0.1 by default)
 * port $PORT (TLS is nginx's job, see docs/deploy.md).  Workers inherit all of it read-only.
 */

struct us_app	us_app;

void	kore_parent_configure(int, char **);
void	kore_worker_configure(void);

/*
 * The sanitizer runtime (make SAN=1, run by make test) asks for these;
 * a production build never allows them.
 */
#if defined(__SANITIZE_ADDRESS__)
#define US_SANITIZER_SYSCALLS \
	KORE_SYSCALL_ALLOW(gettid), \
	KORE_SYSCALL_ALLOW(sched_getaffinity), \
	KORE_SYSCALL_ALLOW(readlink), \
	KORE_SYSCALL_ALLOW(tgkill), \
	KORE_SYSCALL_ALLOW(getpid), \
	KORE_SYSCALL_ALLOW(rt_sigaction),
#else
#define US_SANITIZER_SYSCALLS
#endif

/*
 * Kore's default seccomp filter kills a worker on system calls that
 * libpq, the task threads, the render cache (var/cache) and Pango's
 * fontconfig make.  They are listed here, nothing more.
 */
KORE_SECCOMP_FILTER("undersigned",
	US_SANITIZER_SYSCALLS
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(rename),
	KORE_SYSCALL_ALLOW(unlink),
	KORE_SYSCALL_ALLOW(flock),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(fstatfs),
	KORE_SYSCALL_ALLOW(fadvise64),
	/* GLib (under Pango) names its threads, and nothing more. */
	KORE_SYSCALL_ALLOW_ARG(prctl, 0, PR_SET_NAME),
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(poll),
	KORE_SYSCALL_ALLOW(ppoll),
	KORE_SYSCALL_ALLOW(sendto),
	KORE_SYSCALL_ALLOW(recvfrom),
	KORE_SYSCALL_ALLOW(getrandom),
	KORE_SYSCALL_ALLOW(futex),
	KORE_SYSCALL_ALLOW(madvise),
	KORE_SYSCALL_ALLOW(mprotect),
	KORE_SYSCALL_ALLOW(munmap),
	/* glibc realloc() of a block above the mmap threshold (big imports). */
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(getsockopt),
	KORE_SYSCALL_ALLOW(setsockopt),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(getsockname),
	KORE_SYSCALL_ALLOW(getuid),
	KORE_SYSCALL_ALLOW(geteuid),
	KORE_SYSCALL_ALLOW(sched_yield),
	KORE_SYSCALL_ALLOW(sigaltstack),
	KORE_SYSCALL_ALLOW(rt_sigprocmask),
	KORE_SYSCALL_ALLOW(set_robust_list),
);

static void	app_log(int, const char *);
static void	app_plugin_refused(const char *, const char *);

/* A bad plugin is refused, named, and the others keep working. */
static void
app_plugin_refused(const char *path, const char *why)
{
	kore_log(LOG_ERR, "plugin %s refused: %s", path, why);
}

static void
app_log(int prio, const char *msg)
{
	kore_log(prio, "%s", msg);
}

void
kore_parent_configure(int argc, char **argv)
{
	struct kore_server	*srv;
	struct us_errlist	 errs;
	struct us_error		 err;
	char			 home[PATH_MAX], port[16];
	size_t			 i;

	(void)argc;
	(void)argv;
	/* Logs reach a pipe line by line, not in 4 KiB blocks. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	us_log_set(app_log);

	if (getcwd(home, sizeof(home)) == NULL)
		fatal("getcwd: %s", errno_s);
	memset(&errs, 0, sizeof(errs));
	if (!us_config_load(&us_app.cfg, home, &errs)) {
		for (i = 0; i < errs.n; i++)
			kore_log(LOG_ERR, "configuration: %s",
			    errs.v[i].message);
		fatal("invalid configuration (see above)");
	}
	if (!us_country_load(US_COUNTRY_JSON, &err))
		fatal("%s", err.message);
	/* The UI's languages: catalogues, and country names in each. */
	if (!us_i18n_load(US_I18N_DIR, &err))
		fatal("%s", err.message);
	if (!us_country_load_lang("ru",
	    "/usr/share/locale/ru/LC_MESSAGES/iso_3166-1.mo", &err))
		fatal("%s", err.message);
	us_tpl_set_translator(us_i18n);
	if (!us_tpl_load_dir(&us_app.pages, "assets/templates", &err))
		fatal("%s", err.message);
	if (!us_assets_load("assets/static", &err))
		fatal("%s", err.message);
	us_job_configure(us_app.cfg.conninfo);
	(void)us_plugins_load(&us_app.plugins, us_app.cfg.plugin_dir,
	    app_plugin_refused);
	for (i = 0; i < us_app.plugins.n; i++)
		kore_log(LOG_NOTICE, "format %s (%s) from %s",
		    us_app.plugins.v[i].p->name, us_app.plugins.v[i].p->title,
		    us_app.plugins.v[i].path);

	if ((srv = kore_server_lookup("app")) == NULL)
		fatal("conf/undersigned.conf must define \"server app\"");
	(void)snprintf(port, sizeof(port), "%d", us_app.cfg.port);
	if (!kore_server_bind(srv, us_app.cfg.listen, port, NULL))
		fatal("cannot listen on %s port %s", us_app.cfg.listen, port);
	kore_log(LOG_NOTICE, "listening on %s port %s; public URL %s",
	    us_app.cfg.listen, port, us_app.cfg.public_url);
	if (!us_app.cfg.rate_limits)
		kore_log(LOG_WARNING, "UNDERSIGNED_RATE_LIMITS=off: no limits "
		    "per client or per statement; use this for load tests "
		    "only, never on the internet");
}

void
kore_worker_configure(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	us_log_set(app_log);
}
