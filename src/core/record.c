#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"
#include "record.h"
#include "token.h"

static int	record_part_digest(const json_t *, char *, size_t);
static json_t	*record_meta(const json_t *);
static json_t	*record_manifest(const json_t *);
static const char *record_str(const json_t *, const char *);
static void	record_diagnose(const json_t *, struct us_buf *);
static int	record_diagnose_list(const json_t *, const json_t *,
		    struct us_buf *);
static const json_t *record_key(const json_t *, const char *);
static int	record_chain(const json_t *, long long *, struct us_buf *);

static const char *
record_str(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* "sha256:<hex>" of the canonical form of v, into out (72 bytes). */
int
us_record_digest(const json_t *v, char out[US_RECORD_DIGEST_LEN + 1],
    struct us_error *err)
{
	struct us_buf	b;
	unsigned char	h[US_HASH_LEN];

	us_buf_init(&b);
	if (!us_jcs(&b, v, err)) {
		us_buf_free(&b);
		return (US_FAIL);
	}
	us_sha256(b.data != NULL ? b.data : "", b.len, h);
	us_buf_free(&b);
	memcpy(out, "sha256:", 7);
	us_hex(h, US_HASH_LEN, out + 7);
	return (US_OK);
}

/* A part's digest; "" when it cannot be canonicalised. */
static int
record_part_digest(const json_t *v, char *out, size_t len)
{
	struct us_error	err;
	char		d[US_RECORD_DIGEST_LEN + 1];

	us_error_clear(&err);
	if (v == NULL || !us_record_digest(v, d, &err)) {
		(void)snprintf(out, len, "%s", "");
		return (US_FAIL);
	}
	(void)snprintf(out, len, "%s", d);
	return (US_OK);
}

/*
 * The "statement" part: everything in the record that is not one of the
 * other parts or the manifest (metadata, version, dates, the previous
 * record), so that a change anywhere is named by one part.
 */
static json_t *
record_meta(const json_t *record)
{
	json_t	*m;

	m = json_deep_copy(record);
	json_object_del(m, "texts");
	json_object_del(m, "signatories");
	json_object_del(m, "counts");
	json_object_del(m, "log");
	json_object_del(m, "manifest");
	return (m);
}

/*
 * Digests of the parts, and one per signatory (the first 16 bytes of
 * SHA-256 are enough to tell which entry moved or changed; the signature
 * covers everything).
 */
static json_t *
record_manifest(const json_t *record)
{
	json_t		*man, *texts, *entries, *meta, *t, *s;
	char		 d[US_RECORD_DIGEST_LEN + 1];
	size_t		 i;

	man = json_object();
	meta = record_meta(record);
	(void)record_part_digest(meta, d, sizeof(d));
	json_decref(meta);
	json_object_set_new(man, "statement", json_string(d));
	texts = json_object();
	json_array_foreach(json_object_get(record, "texts"), i, t) {
		(void)record_part_digest(t, d, sizeof(d));
		json_object_set_new(texts, record_str(t, "lang"),
		    json_string(d));
	}
	json_object_set_new(man, "texts", texts);
	(void)record_part_digest(json_object_get(record, "counts"), d,
	    sizeof(d));
	json_object_set_new(man, "counts", json_string(d));
	(void)record_part_digest(json_object_get(record, "log"), d, sizeof(d));
	json_object_set_new(man, "log", json_string(d));
	entries = json_array();
	json_array_foreach(json_object_get(record, "signatories"), i, s) {
		(void)record_part_digest(s, d, sizeof(d));
		d[7 + 32] = '\0';
		json_array_append_new(entries, json_string(d + 7));
	}
	json_object_set_new(man, "signatories", entries);
	return (man);
}

/*
 * Seals a record: adds its manifest, signs its canonical form with the
 * private key, and writes the envelope to doc (readable JSON; checkers
 * canonicalise the record again, so its layout does not matter).
 */
int
us_record_seal(json_t *record, const unsigned char priv[US_SIG_KEY_LEN],
    struct us_buf *doc, char digest[US_RECORD_DIGEST_LEN + 1],
    struct us_error *err)
{
	struct us_buf	 canon, sig64;
	unsigned char	 pub[US_SIG_KEY_LEN], sig[US_SIG_LEN];
	unsigned char	 h[US_HASH_LEN];
	char		 id[US_SIG_ID_LEN + 1], *text;
	json_t		*env;
	int		 ok = US_FAIL;

	json_object_set_new(record, "format", json_string(US_RECORD_FORMAT));
	json_object_set_new(record, "manifest", record_manifest(record));
	us_buf_init(&canon);
	us_buf_init(&sig64);
	if (!us_jcs(&canon, record, err) || !us_sig_public(priv, pub, err) ||
	    !us_sig_sign(priv, canon.data, canon.len, sig, err))
		goto done;
	us_sha256(canon.data, canon.len, h);
	memcpy(digest, "sha256:", 7);
	us_hex(h, US_HASH_LEN, digest + 7);
	us_sig_key_id(pub, id);
	us_b64_encode(&sig64, sig, sizeof(sig));
	us_buf_putc(&sig64, '\0');
	env = json_pack("{s:O, s:s, s:s, s:s, s:s}", "record", record,
	    "digest", digest, "algorithm", US_SIG_ALGORITHM, "key_id", id,
	    "signature", sig64.data);
	text = json_dumps(env, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(env);
	if (text == NULL) {
		us_error_set(err, US_E_INTERNAL, NULL, "record_failed",
		    "the record could not be written");
		goto done;
	}
	us_buf_reset(doc);
	us_buf_puts(doc, text);
	us_buf_putc(doc, '\n');
	free(text);
	ok = US_OK;
done:
	us_buf_free(&canon);
	us_buf_free(&sig64);
	return (ok);
}

/*
 * The log a record carries: each entry's hash is SHA-256 of the canonical
 * {"entry": ..., "previous": ...}, and the last one is the head.  Counts
 * the removals on the way.
 */
static int
record_chain(const json_t *log, long long *removed, struct us_buf *why)
{
	const json_t	*e;
	json_t		*link, *prev;
	struct us_error	 err;
	char		 h[US_RECORD_DIGEST_LEN + 1];
	size_t		 i;
	int		 ok;

	*removed = 0;
	prev = json_null();
	json_array_foreach(json_object_get(log, "entries"), i, e) {
		link = json_pack("{s:O, s:O}", "entry", json_object_get(e,
		    "entry") != NULL ? json_object_get(e, "entry") :
		    json_null(), "previous", prev);
		us_error_clear(&err);
		ok = us_record_digest(link, h, &err);
		json_decref(link);
		if (!ok || strcmp(h, record_str(e, "hash")) != 0) {
			us_buf_appendf(why, "log entry %zu does not chain to "
			    "the one before it", i + 1);
			json_decref(prev);
			return (US_FAIL);
		}
		if (strcmp(record_str(json_object_get(e, "entry"), "event"),
		    "removed") == 0)
			(*removed)++;
		json_decref(prev);
		prev = json_string(h);
	}
	ok = (json_is_null(prev) ? json_is_null(json_object_get(log,
	    "head")) : strcmp(json_string_value(prev), record_str(log,
	    "head")) == 0) && (json_int_t)json_array_size(json_object_get(log,
	    "entries")) == json_integer_value(json_object_get(log, "length"));
	json_decref(prev);
	if (!ok)
		us_buf_puts(why, "the log's head or length is not that of its "
		    "entries");
	return (ok);
}

/* The key with this id among keys ([{id, public_key, ...}]), or NULL. */
static const json_t *
record_key(const json_t *keys, const char *id)
{
	const json_t	*k;
	size_t		 i;

	json_array_foreach(keys, i, k) {
		if (strcmp(record_str(k, "id"), id) == 0)
			return (k);
	}
	return (NULL);
}

/* Which entry of the list moved, changed, appeared or went; 0: none. */
static int
record_diagnose_list(const json_t *list, const json_t *signed_list,
    struct us_buf *why)
{
	const json_t	*s;
	char		 d[US_RECORD_DIGEST_LEN + 1];
	const char	*want;
	size_t		 i, j, n, m;

	n = json_array_size(list);
	m = json_array_size(signed_list);
	for (i = 0; i < n && i < m; i++) {
		s = json_array_get(list, i);
		(void)record_part_digest(s, d, sizeof(d));
		d[7 + 32] = '\0';
		want = json_string_value(json_array_get(signed_list, i));
		if (want != NULL && strcmp(d + 7, want) == 0)
			continue;
		for (j = 0; j < m; j++) {
			if (j != i && strcmp(d + 7, json_string_value(
			    json_array_get(signed_list, j)) != NULL ?
			    json_string_value(json_array_get(signed_list, j)) :
			    "") == 0)
				break;
		}
		if (j < m) {
			us_buf_appendf(why, "signatories %zu and %zu are not "
			    "in the order that was signed (\"%s\" was signed at "
			    "position %zu)", i + 1, j + 1,
			    record_str(s, "organisation"), j + 1);
			return (1);
		}
		us_buf_appendf(why, "signatory %zu (\"%s\") differs from the "
		    "one that was signed", i + 1, record_str(s,
		    "organisation"));
		return (1);
	}
	if (n != m) {
		us_buf_appendf(why, "the list has %zu names; the signed list "
		    "had %zu", n, m);
		return (1);
	}
	return (0);
}

/*
 * A record that does not check: the first part whose digest is not the
 * one in the manifest, named for a reader.  When every part matches, the
 * manifest or the envelope itself was changed.
 */
static void
record_diagnose(const json_t *record, struct us_buf *why)
{
	const json_t	*man, *t, *c;
	json_t		*meta;
	char		 d[US_RECORD_DIGEST_LEN + 1];
	const char	*want;
	size_t		 i;

	man = json_object_get(record, "manifest");
	meta = record_meta(record);
	(void)record_part_digest(meta, d, sizeof(d));
	json_decref(meta);
	if (strcmp(d, record_str(man, "statement")) != 0) {
		us_buf_puts(why, "the statement's details (slug, version, "
		    "dates) differ from what was signed");
		return;
	}
	if (json_array_size(json_object_get(record, "texts")) !=
	    json_object_size(json_object_get(man, "texts"))) {
		us_buf_puts(why, "the record has not the language versions "
		    "that were signed");
		return;
	}
	json_array_foreach(json_object_get(record, "texts"), i, t) {
		(void)record_part_digest(t, d, sizeof(d));
		want = json_string_value(json_object_get(json_object_get(man,
		    "texts"), record_str(t, "lang")));
		if (want == NULL || strcmp(d, want) != 0) {
			us_buf_appendf(why, "the text of the \"%s\" version "
			    "differs from what was signed",
			    record_str(t, "lang"));
			return;
		}
	}
	c = json_object_get(record, "counts");
	(void)record_part_digest(c, d, sizeof(d));
	if (strcmp(d, record_str(man, "counts")) != 0) {
		us_buf_appendf(why, "the counts differ from what was signed "
		    "(this file says %lld named, %lld unnamed, %lld in all)",
		    (long long)json_integer_value(json_object_get(c, "named")),
		    (long long)json_integer_value(json_object_get(c,
		    "unnamed")),
		    (long long)json_integer_value(json_object_get(c, "total")));
		return;
	}
	(void)record_part_digest(json_object_get(record, "log"), d, sizeof(d));
	if (strcmp(d, record_str(man, "log")) != 0) {
		us_buf_puts(why, "the log of removals differs from what was "
		    "signed");
		return;
	}
	if (!record_diagnose_list(json_object_get(record, "signatories"),
	    json_object_get(man, "signatories"), why))
		us_buf_puts(why, "the signature does not match the record: its "
		    "manifest or signature was changed");
}

/*
 * Checks a sealed record against the public keys ([{id, public_key,
 * retired_at}], as GET /api/v1/keys lists them).  US_OK with info filled
 * when it is valid; US_FAIL with the first difference in why otherwise.
 */
int
us_record_check(const char *doc, size_t len, const json_t *keys,
    struct us_record_info *info, struct us_buf *why)
{
	struct us_error	 err;
	struct us_buf	 canon;
	json_error_t	 jerr;
	json_t		*env;
	const json_t	*record, *key, *st, *counts;
	unsigned char	 pub[US_SIG_KEY_LEN + 3], sig[US_SIG_LEN + 3];
	unsigned char	 h[US_HASH_LEN];
	char		 id[US_SIG_ID_LEN + 1];
	char		 digest[US_RECORD_DIGEST_LEN + 1];
	size_t		 n;
	int		 ok = US_FAIL;

	memset(info, 0, sizeof(*info));
	us_error_clear(&err);
	us_buf_init(&canon);
	if ((env = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		us_buf_appendf(why, "not a record: not JSON (%s, line %d)",
		    jerr.text, jerr.line);
		return (US_FAIL);
	}
	record = json_object_get(env, "record");
	if (!json_is_object(record) ||
	    json_string_value(json_object_get(env, "signature")) == NULL ||
	    json_string_value(json_object_get(env, "key_id")) == NULL) {
		us_buf_puts(why, "not a record: it has no \"record\", "
		    "\"key_id\" and \"signature\"");
		goto done;
	}
	if (strcmp(record_str(record, "format"), US_RECORD_FORMAT) != 0) {
		us_buf_appendf(why, "unknown record format \"%s\" (this "
		    "checker knows %s)", record_str(record, "format"),
		    US_RECORD_FORMAT);
		goto done;
	}
	if (strcmp(record_str(env, "algorithm"), US_SIG_ALGORITHM) != 0) {
		us_buf_appendf(why, "unknown signature algorithm \"%s\"",
		    record_str(env, "algorithm"));
		goto done;
	}
	if ((key = record_key(keys, record_str(env, "key_id"))) == NULL) {
		us_buf_appendf(why, "it was signed with key %s, which is not "
		    "among the keys given", record_str(env, "key_id"));
		goto done;
	}
	if (!us_b64_decode(record_str(key, "public_key"), pub, sizeof(pub),
	    &n) || n != US_SIG_KEY_LEN) {
		us_buf_appendf(why, "key %s is not a base64 Ed25519 public key",
		    record_str(key, "id"));
		goto done;
	}
	us_sig_key_id(pub, id);
	if (strcmp(id, record_str(env, "key_id")) != 0) {
		us_buf_appendf(why, "the public key given for %s has the id %s",
		    record_str(env, "key_id"), id);
		goto done;
	}
	if (!us_b64_decode(record_str(env, "signature"), sig, sizeof(sig),
	    &n) || n != US_SIG_LEN) {
		us_buf_puts(why, "the signature is not base64 of 64 bytes");
		goto done;
	}
	if (!us_jcs(&canon, record, &err)) {
		us_buf_appendf(why, "the record has no canonical form: %s",
		    err.message);
		goto done;
	}
	us_sha256(canon.data, canon.len, h);
	memcpy(digest, "sha256:", 7);
	us_hex(h, US_HASH_LEN, digest + 7);
	if (!us_sig_verify(pub, canon.data, canon.len, sig)) {
		record_diagnose(record, why);
		goto done;
	}
	if (strcmp(digest, record_str(env, "digest")) != 0) {
		us_buf_appendf(why, "the digest field says %s, but the signed "
		    "record's digest is %s", record_str(env, "digest"),
		    digest);
		goto done;
	}
	if (!record_chain(json_object_get(record, "log"), &info->removed, why))
		goto done;
	st = json_object_get(record, "statement");
	counts = json_object_get(record, "counts");
	(void)snprintf(info->slug, sizeof(info->slug), "%s",
	    record_str(st, "slug"));
	(void)snprintf(info->published_at, sizeof(info->published_at), "%s",
	    record_str(record, "published_at"));
	(void)snprintf(info->recorded_at, sizeof(info->recorded_at), "%s",
	    record_str(record, "recorded_at"));
	(void)snprintf(info->key_id, sizeof(info->key_id), "%s", id);
	(void)snprintf(info->key_retired_at, sizeof(info->key_retired_at),
	    "%s", record_str(key, "retired_at"));
	(void)snprintf(info->digest, sizeof(info->digest), "%s", digest);
	info->version = json_integer_value(json_object_get(record, "version"));
	info->named = json_integer_value(json_object_get(counts, "named"));
	info->unnamed = json_integer_value(json_object_get(counts, "unnamed"));
	ok = US_OK;
done:
	us_buf_free(&canon);
	json_decref(env);
	return (ok);
}

/*
 * The record digest a document (a PDF's metadata, a JSON list, a press
 * release) names: the first "sha256:" and 64 lowercase hex digits.
 */
int
us_record_find_digest(const char *doc, size_t len,
    char out[US_RECORD_DIGEST_LEN + 1])
{
	const char	*p, *end = doc + len;
	size_t		 i;

	for (p = doc; p + US_RECORD_DIGEST_LEN <= end; p++) {
		if (memcmp(p, "sha256:", 7) != 0)
			continue;
		for (i = 0; i < 64; i++) {
			if (strchr("0123456789abcdef", p[7 + i]) == NULL ||
			    p[7 + i] == '\0')
				break;
		}
		if (i < 64 || (p + US_RECORD_DIGEST_LEN < end &&
		    strchr("0123456789abcdef", p[US_RECORD_DIGEST_LEN]) !=
		    NULL && p[US_RECORD_DIGEST_LEN] != '\0'))
			continue;
		memcpy(out, p, US_RECORD_DIGEST_LEN);
		out[US_RECORD_DIGEST_LEN] = '\0';
		return (US_OK);
	}
	return (US_FAIL);
}

/* "valid: version 2 of {slug}, published …, 412 named + 3 unnamed, …" */
void
us_record_verdict(struct us_buf *b, const struct us_record_info *i)
{
	us_buf_appendf(b, "valid: version %lld of %s, published %s, %lld "
	    "named + %lld unnamed, key %s", i->version, i->slug,
	    i->published_at, i->named, i->unnamed, i->key_id);
	if (i->key_retired_at[0] != '\0')
		us_buf_appendf(b, " (retired %s)", i->key_retired_at);
	if (i->removed > 0)
		us_buf_appendf(b, ", %lld removed after publication (see its "
		    "log)", i->removed);
	us_buf_appendf(b, ", recorded %s, digest %s", i->recorded_at,
	    i->digest);
}
