#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/token.h"
#include "db/db.h"

static int	migration_name_ok(const char *);
static int	migration_cmp(const void *, const void *);
static int	migration_read(const char *, const char *, struct us_buf *);
static int	migration_apply(struct us_db *, const char *, const char *,
		    int, struct us_error *);

/* Any number the project will not reuse; one lock for all migrators. */
#define MIGRATE_LOCK	"7418209133"

static int
migration_name_ok(const char *n)
{
	size_t	len = strlen(n);

	return (len > 9 && n[0] >= '0' && n[0] <= '9' && n[1] >= '0' &&
	    n[1] <= '9' && n[2] >= '0' && n[2] <= '9' && n[3] >= '0' &&
	    n[3] <= '9' && n[4] == '_' && strcmp(n + len - 4, ".sql") == 0);
}

static int
migration_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
migration_read(const char *dir, const char *name, struct us_buf *out)
{
	char	 path[4096], chunk[8192];
	FILE	*fp;
	size_t	 n;
	int	 ok;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return (US_FAIL);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		us_buf_append(out, chunk, n);
	ok = !ferror(fp);
	fclose(fp);
	return (ok ? US_OK : US_FAIL);
}

/*
 * One migration, one transaction: the file's statements and its row in
 * schema_migrations commit together or not at all.
 */
static int
migration_apply(struct us_db *db, const char *dir, const char *name,
    int verbose, struct us_error *err)
{
	struct us_buf	 sql;
	PGresult	*res;
	const char	*pos, *msg;
	unsigned char	 h[US_HASH_LEN];
	char		 hex[US_HASH_LEN * 2 + 1], version[5];
	long		 line, i, at;
	int		 rc = US_FAIL;

	us_buf_init(&sql);
	if (!migration_read(dir, name, &sql)) {
		us_error_set(err, US_E_INTERNAL, NULL, "migration",
		    "%s/%s: cannot read the file", dir, name);
		goto done;
	}
	us_sha256(sql.data != NULL ? sql.data : "", sql.len, h);
	us_hex(h, sizeof(h), hex);
	memcpy(version, name, 4);
	version[4] = '\0';

	if ((res = us_db_query(db, err, "SELECT checksum FROM "
	    "schema_migrations WHERE version = $1", 1, version)) == NULL)
		goto done;
	if (PQntuples(res) > 0) {
		if (strcmp(PQgetvalue(res, 0, 0), hex) != 0)
			us_log(LOG_WARNING, "%s changed after it was applied; "
			    "write a new migration instead", name);
		PQclear(res);
		rc = US_OK;
		goto done;
	}
	PQclear(res);

	if (!us_db_exec(db, err, "BEGIN", 0))
		goto done;
	res = PQexec(db->conn, sql.data != NULL ? sql.data : "");
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		msg = PQresultErrorMessage(res);
		pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
		line = 0;
		if (pos != NULL) {
			at = strtol(pos, NULL, 10);
			for (i = 0, line = 1; i < at - 1 && i < (long)sql.len;
			    i++) {
				if (sql.data[i] == '\n')
					line++;
			}
		}
		us_error_set(err, US_E_INTERNAL, NULL, "migration",
		    "%s/%s%s%.0ld: %s", dir, name, line > 0 ? ":" : "",
		    line, msg);
		PQclear(res);
		PQclear(PQexec(db->conn, "ROLLBACK"));
		goto done;
	}
	PQclear(res);
	if (!us_db_exec(db, err, "INSERT INTO schema_migrations (version, "
	    "name, checksum) VALUES ($1, $2, $3)", 3, version, name, hex) ||
	    !us_db_exec(db, err, "COMMIT", 0)) {
		PQclear(PQexec(db->conn, "ROLLBACK"));
		goto done;
	}
	if (verbose)
		us_log(LOG_NOTICE, "applied migration %s", name);
	rc = US_OK;
done:
	us_buf_free(&sql);
	return (rc);
}

/*
 * Applies, in order, every migrations/NNNN_*.sql not yet recorded.  The
 * advisory lock lets several processes start at once: one migrates, the
 * others wait and then find nothing to do.
 */
int
us_db_migrate(struct us_db *db, const char *dir, int verbose,
    struct us_error *err)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 n = 0, i;
	int		 rc = US_FAIL;

	if ((d = opendir(dir)) == NULL)
		return (us_error_set(err, US_E_INTERNAL, NULL, "migration",
		    "cannot open the migrations directory %s", dir));
	while ((de = readdir(d)) != NULL) {
		if (!migration_name_ok(de->d_name))
			continue;
		names = us_realloc(names, (n + 1) * sizeof(*names));
		names[n++] = us_strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), migration_cmp);

	if (!us_db_exec(db, err, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")",
	    0))
		goto done;
	if (!us_db_exec(db, err, "CREATE TABLE IF NOT EXISTS schema_migrations "
	    "(version text PRIMARY KEY, name text NOT NULL, checksum text NOT "
	    "NULL, applied_at timestamptz NOT NULL DEFAULT now())", 0))
		goto unlock;
	for (i = 0; i < n; i++) {
		if (!migration_apply(db, dir, names[i], verbose, err))
			goto unlock;
	}
	rc = US_OK;
unlock:
	if (PQstatus(db->conn) == CONNECTION_OK)
		PQclear(PQexec(db->conn, "SELECT pg_advisory_unlock("
		    MIGRATE_LOCK ")"));
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rc);
}
