/*
 * bin/undersigned verify FILE [--key BASE64 | --keys URL-or-FILE]
 *     [--record RECORD]
 * bin/undersigned keys list | rotate
 *
 * verify needs nothing of the server: a record (or a document that names
 * one, with the record beside it) and the public keys.  It prints what
 * the record proves and exits 0, or the first difference and exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/record.h"
#include "core/sig.h"
#include "cli/cli.h"

#define VERIFY_MAX	(64 * 1024 * 1024)	/* bytes of a file or URL */

static int	read_file(const char *, struct us_buf *);
static size_t	fetch_write(char *, size_t, size_t, void *);
static int	fetch(const char *, struct us_buf *);
static json_t	*load_keys(const char *, const char *);
static void	verify_usage(void);

static void
verify_usage(void)
{
	fprintf(stderr, "usage: undersigned verify FILE [--key BASE64 | "
	    "--keys URL-or-FILE] [--record RECORD]\n");
}

static int
read_file(const char *path, struct us_buf *b)
{
	FILE	*fp;
	char	 chunk[65536];
	size_t	 n;
	int	 ok;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "undersigned: %s: %s\n", path, strerror(errno));
		return (US_FAIL);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
	    b->len + n <= VERIFY_MAX)
		us_buf_append(b, chunk, n);
	ok = !ferror(fp) && b->len <= VERIFY_MAX && n == 0;
	fclose(fp);
	if (!ok)
		fprintf(stderr, "undersigned: %s: cannot read it (or it is "
		    "larger than %d MiB)\n", path, VERIFY_MAX / 1024 / 1024);
	return (ok);
}

static size_t
fetch_write(char *data, size_t size, size_t n, void *arg)
{
	struct us_buf	*b = arg;

	if (b->len + size * n > VERIFY_MAX)
		return (0);
	us_buf_append(b, data, size * n);
	return (size * n);
}

static int
fetch(const char *url, struct us_buf *b)
{
	CURL		*c;
	CURLcode	 rc;
	long		 status = 0;

	if ((c = curl_easy_init()) == NULL)
		return (US_FAIL);
	(void)curl_easy_setopt(c, CURLOPT_URL, url);
	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	(void)curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	(void)curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK || status != 200) {
		fprintf(stderr, "undersigned: %s: %s\n", url, rc != CURLE_OK ?
		    curl_easy_strerror(rc) : "the server did not answer 200");
		return (US_FAIL);
	}
	return (US_OK);
}

/*
 * The keys to check with, as GET /api/v1/keys lists them: one given on
 * the command line, or a list from a URL or a file.
 */
static json_t *
load_keys(const char *key, const char *keys)
{
	unsigned char	 pub[US_SIG_KEY_LEN + 3];
	char		 id[US_SIG_ID_LEN + 1];
	struct us_buf	 b;
	json_error_t	 jerr;
	json_t		*list = NULL;
	size_t		 n;

	if (key != NULL) {
		if (!us_b64_decode(key, pub, sizeof(pub), &n) ||
		    n != US_SIG_KEY_LEN) {
			fprintf(stderr, "undersigned: --key must be a base64 "
			    "Ed25519 public key (32 bytes)\n");
			return (NULL);
		}
		us_sig_key_id(pub, id);
		return (json_pack("[{s:s, s:s, s:s}]", "id", id, "algorithm",
		    US_SIG_ALGORITHM, "public_key", key));
	}
	us_buf_init(&b);
	if ((strncmp(keys, "http://", 7) == 0 ||
	    strncmp(keys, "https://", 8) == 0) ? fetch(keys, &b) :
	    read_file(keys, &b)) {
		list = json_loadb(b.data != NULL ? b.data : "", b.len, 0,
		    &jerr);
		if (!json_is_array(list)) {
			fprintf(stderr, "undersigned: %s: not a list of keys "
			    "as GET /api/v1/keys gives it\n", keys);
			json_decref(list);
			list = NULL;
		}
	}
	us_buf_free(&b);
	return (list);
}

int
us_cli_verify(int argc, char **argv)
{
	struct us_record_info	 info;
	struct us_buf		 file, rec, why;
	json_t			*keys = NULL, *env;
	const char		*path = NULL, *key = NULL, *keyfile = NULL;
	const char		*record = NULL;
	char			 named[US_RECORD_DIGEST_LEN + 1];
	int			 i, rc = 1, is_record;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
			keyfile = argv[++i];
		else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
			record = argv[++i];
		else if (path == NULL && argv[i][0] != '-')
			path = argv[i];
		else {
			verify_usage();
			return (1);
		}
	}
	if (path == NULL || (key == NULL) == (keyfile == NULL)) {
		verify_usage();
		fprintf(stderr, "(give one of --key and --keys: the keys are "
		    "at {site}/api/v1/keys)\n");
		return (1);
	}
	us_buf_init(&file);
	us_buf_init(&rec);
	us_buf_init(&why);
	if ((keys = load_keys(key, keyfile)) == NULL ||
	    !read_file(path, &file))
		goto done;

	/* A record is a JSON object with one; anything else names one. */
	env = json_loadb(file.data != NULL ? file.data : "", file.len, 0,
	    NULL);
	is_record = json_is_object(json_object_get(env, "record"));
	json_decref(env);
	if (is_record) {
		if (!us_record_check(file.data, file.len, keys, &info, &why)) {
			printf("invalid: %s\n", why.data);
			goto done;
		}
		us_buf_reset(&why);
		us_record_verdict(&why, &info);
		printf("%s\n", why.data);
		rc = 0;
		goto done;
	}
	if (!us_record_find_digest(file.data != NULL ? file.data : "",
	    file.len, named)) {
		printf("invalid: %s names no signed record (no sha256: "
		    "digest in it)\n", path);
		goto done;
	}
	if (record == NULL) {
		printf("invalid: %s names the record %s; give that record "
		    "with --record (download format \"record\")\n", path,
		    named);
		goto done;
	}
	if (!read_file(record, &rec))
		goto done;
	if (!us_record_check(rec.data, rec.len, keys, &info, &why)) {
		printf("invalid: the record %s: %s\n", record, why.data);
		goto done;
	}
	if (strcmp(info.digest, named) != 0) {
		printf("invalid: %s names the record %s, but %s is the record "
		    "%s\n", path, named, record, info.digest);
		goto done;
	}
	us_buf_reset(&why);
	us_record_verdict(&why, &info);
	printf("%s; %s is a copy of it\n", why.data, path);
	rc = 0;
done:
	json_decref(keys);
	us_buf_free(&file);
	us_buf_free(&rec);
	us_buf_free(&why);
	return (rc);
}

/* bin/undersigned keys list | rotate */
int
us_cli_keys(const struct us_config *cfg, int argc, char **argv)
{
	struct us_db	*db;
	struct us_error	 err;
	json_t		*list, *k;
	size_t		 i;
	int		 ok = US_FAIL;

	if (argc != 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "rotate") != 0)) {
		fprintf(stderr, "usage: undersigned keys list | rotate\n");
		return (1);
	}
	db = us_db_new(cfg->conninfo);
	us_error_clear(&err);
	if (strcmp(argv[1], "rotate") == 0 && !us_db_keys_rotate(db, &err))
		goto done;
	if ((list = us_db_keys_list(db, &err)) == NULL)
		goto done;
	json_array_foreach(list, i, k)
		printf("%s %s %s %s%s\n", json_string_value(json_object_get(k,
		    "id")), json_string_value(json_object_get(k, "public_key")),
		    json_string_value(json_object_get(k, "created_at")),
		    json_is_string(json_object_get(k, "retired_at")) ?
		    "retired " : "in use",
		    json_is_string(json_object_get(k, "retired_at")) ?
		    json_string_value(json_object_get(k, "retired_at")) : "");
	json_decref(list);
	ok = US_OK;
done:
	if (!ok)
		fprintf(stderr, "undersigned: %s\n", err.message);
	us_db_free(db);
	return (ok ? 0 : 1);
}
