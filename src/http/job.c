#include <stdlib.h>

#include "core/log.h"
#include "core/ratelimit.h"
#include "core/token.h"
#include "http/http.h"

/*
 * A unit of database work run in a Kore task thread.  It is allocated
 * apart from the request because a client may hang up while the thread
 * still uses it: the request then drops its claim (orphan) and the job
 * frees itself when the thread is done.  done and orphan are only touched
 * on the event loop, never by the thread.
 */
struct us_job {
	struct kore_task	 task;
	struct http_request	*req;
	struct us_req		*r;
	int			 done;
	int			 orphan;
};

static int	job_entry(struct kore_task *);
static void	job_finished(struct kore_task *);
static void	job_free(struct us_job *);
static struct us_db *job_db(void);
static int	job_limit(struct us_db *, struct us_req *);

/* Each task thread keeps one connection for its whole life. */
static __thread struct us_db	*thread_db;
static char			*job_conninfo;

void
us_job_configure(const char *conninfo)
{
	free(job_conninfo);
	job_conninfo = us_strdup(conninfo);
}

static struct us_db *
job_db(void)
{
	if (thread_db == NULL)
		thread_db = us_db_new(job_conninfo);
	return (thread_db);
}

/*
 * A limited route counts the request against its client's windows
 * before any other work; over the limit the work does not run and the
 * answer is 429.
 */
static int
job_limit(struct us_db *db, struct us_req *r)
{
	enum us_limit_kind	kind;
	int			retry;

	if (!us_app.cfg.rate_limits || !(r->route->flags & US_ROUTE_LIMITS))
		return (US_OK);
	if (r->route->flags & US_ROUTE_LIMIT_SIGN)
		kind = US_LIMIT_SIGN;
	else if (r->route->flags & US_ROUTE_LIMIT_RESEND)
		kind = US_LIMIT_RESEND;
	else
		kind = US_LIMIT_LOGIN;
	if (!us_db_limit_take(db, us_limit_get(kind), r->client, &retry,
	    &r->err))
		return (US_FAIL);
	if (retry == 0)
		return (US_OK);
	r->retry_after = retry;
	return (us_limit_refuse(&r->err, retry));
}

/*
 * Runs in the task thread.  With a bearer token the coordinator is
 * resolved first, so authentication shares the thread's connection and
 * retry rules with the work itself.
 */
static int
job_entry(struct kore_task *t)
{
	struct us_job	*job = (struct us_job *)t;
	struct us_req	*r = job->r;
	struct us_db	*db = job_db();

	us_error_clear(&r->err);
	if (!job_limit(db, r))
		return (KORE_RESULT_OK);
	if (r->bearer != NULL && !us_db_coord_auth(db, r->bearer, &r->coord,
	    &r->err))
		return (KORE_RESULT_OK);
	if (r->session != NULL && !us_db_session_get(db, r->session,
	    &r->coord, r->csrf, sizeof(r->csrf), &r->who, &r->err))
		return (KORE_RESULT_OK);
	/* A state-changing form must carry this session's token. */
	if ((r->route->flags & US_ROUTE_CSRF) &&
	    !us_token_same(us_fields_get(&r->fields, "csrf"), r->csrf)) {
		us_error_set(&r->err, US_E_FORBIDDEN, "csrf", "bad_csrf",
		    "This form has expired or did not come from this site; "
		    "reload the page and try again.");
		return (KORE_RESULT_OK);
	}
	(void)r->route->work(db, r);
	return (KORE_RESULT_OK);
}

static void
job_finished(struct kore_task *t)
{
	struct us_job	*job = (struct us_job *)t;

	if (!kore_task_finished(t))
		return;
	job->done = 1;
	if (job->orphan) {
		job_free(job);
		return;
	}
	http_request_wakeup(job->req);
}

static void
job_free(struct us_job *job)
{
	struct us_req	*r = job->r;

	kore_task_destroy(&job->task);
	/* An orphan's request state was kept alive for the thread. */
	if (job->orphan)
		us_req_free(r);
	kore_free(job);
}

void
us_job_start(struct http_request *req, struct us_req *r)
{
	struct us_job	*job;

	job = kore_calloc(1, sizeof(*job));
	job->req = req;
	job->r = r;
	r->job = job;
	kore_task_create(&job->task, job_entry);
	kore_task_bind_callback(&job->task, job_finished);
	http_request_sleep(req);
	kore_task_run(&job->task);
}

int
us_job_done(const struct us_job *job)
{
	return (job->done);
}

/*
 * Called when the request is freed.  Returns 1 when the job (and the
 * request state it uses) now belongs to the running thread.
 */
int
us_job_release(struct us_req *r)
{
	struct us_job	*job = r->job;

	if (job == NULL)
		return (0);
	r->job = NULL;
	if (!job->done) {
		job->orphan = 1;
		job->req = NULL;
		return (1);
	}
	job_free(job);
	return (0);
}
