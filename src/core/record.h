/*
 * us_record: the signed record of a published statement (docs/record.md).
 *
 * A record is a JSON object: what was published (statement metadata, the
 * version and its dates, every language's text, the ordered list of named
 * signatories with every country, the counts, the head of the removal
 * log) and a manifest of digests of those parts.  It is sealed in an
 * envelope:
 *
 *	{"record": {...}, "digest": "sha256:<hex>", "algorithm": "ed25519",
 *	 "key_id": "<16 hex>", "signature": "<base64>"}
 *
 * where digest is SHA-256 of the record's RFC 8785 canonical form and
 * signature is Ed25519 over those same bytes.  Checking a record needs
 * only the envelope and the public key; the manifest lets a checker say
 * which part of a changed record differs from what was signed.
 */
#ifndef US_RECORD_H
#define US_RECORD_H

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "sig.h"

#define US_RECORD_FORMAT	"undersigned-record/1"
#define US_RECORD_FORMAT_NAME	"record"	/* the download format */
#define US_RECORD_DIGEST_LEN	71	/* "sha256:" and 64 hex */

/* What a valid record says, for the verdict. */
struct us_record_info {
	char		slug[128];
	char		published_at[40];
	char		recorded_at[40];
	char		key_id[US_SIG_ID_LEN + 1];
	char		key_retired_at[40];	/* "" while in use */
	char		digest[US_RECORD_DIGEST_LEN + 1];
	long long	version;
	long long	named;
	long long	unnamed;
	long long	removed;	/* names removed after publication */
};

int	us_record_digest(const json_t *, char [US_RECORD_DIGEST_LEN + 1],
	    struct us_error *);
int	us_record_seal(json_t *, const unsigned char [US_SIG_KEY_LEN],
	    struct us_buf *, char [US_RECORD_DIGEST_LEN + 1],
	    struct us_error *);
int	us_record_check(const char *, size_t, const json_t *,
	    struct us_record_info *, struct us_buf *);
int	us_record_find_digest(const char *, size_t,
	    char [US_RECORD_DIGEST_LEN + 1]);
void	us_record_verdict(struct us_buf *, const struct us_record_info *);

#endif
