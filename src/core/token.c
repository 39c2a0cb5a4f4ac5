#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "error.h"
#include "token.h"

static const char	b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
us_random(void *out, size_t len)
{
	return (RAND_bytes(out, (int)len) == 1 ? US_OK : US_FAIL);
}

/* out needs room for 4 * ceil(len / 3) + 1 bytes. */
void
us_b64url(const unsigned char *in, size_t len, char *out)
{
	size_t		i;
	unsigned int	v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned int)in[i] << 16 | (unsigned int)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = b64url[(v >> 18) & 63];
		*out++ = b64url[(v >> 12) & 63];
		*out++ = b64url[(v >> 6) & 63];
		*out++ = b64url[v & 63];
	}
	if (len - i == 1) {
		v = (unsigned int)in[i] << 16;
		*out++ = b64url[(v >> 18) & 63];
		*out++ = b64url[(v >> 12) & 63];
	} else if (len - i == 2) {
		v = (unsigned int)in[i] << 16 | (unsigned int)in[i + 1] << 8;
		*out++ = b64url[(v >> 18) & 63];
		*out++ = b64url[(v >> 12) & 63];
		*out++ = b64url[(v >> 6) & 63];
	}
	*out = '\0';
}

void
us_sha256(const void *data, size_t len, unsigned char out[US_HASH_LEN])
{
	unsigned int	n;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != US_HASH_LEN)
		abort();
}

void
us_hex(const unsigned char *in, size_t len, char *out)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		*out++ = digits[in[i] >> 4];
		*out++ = digits[in[i] & 15];
	}
	*out = '\0';
}

int
us_unhex(const char *s, unsigned char *out, size_t len)
{
	size_t	i;
	int	hi, lo;

	if (strlen(s) != len * 2)
		return (US_FAIL);
	for (i = 0; i < len; i++) {
		hi = OPENSSL_hexchar2int((unsigned char)s[2 * i]);
		lo = OPENSSL_hexchar2int((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return (US_FAIL);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (US_OK);
}

int
us_token_new(char token[US_TOKEN_LEN + 1], unsigned char hash[US_HASH_LEN])
{
	unsigned char	raw[US_TOKEN_BYTES];

	if (!us_random(raw, sizeof(raw)))
		return (US_FAIL);
	us_b64url(raw, sizeof(raw), token);
	OPENSSL_cleanse(raw, sizeof(raw));
	us_sha256(token, US_TOKEN_LEN, hash);
	return (US_OK);
}

/*
 * Hashes a token presented by a client after checking its shape, so that
 * garbage never reaches the database.
 */
int
us_token_hash(const char *token, unsigned char hash[US_HASH_LEN])
{
	size_t	i;

	if (strlen(token) != US_TOKEN_LEN)
		return (US_FAIL);
	for (i = 0; i < US_TOKEN_LEN; i++) {
		if (strchr(b64url, token[i]) == NULL)
			return (US_FAIL);
	}
	us_sha256(token, US_TOKEN_LEN, hash);
	return (US_OK);
}

/* The stored form of a presented token, for a query; fails as above. */
int
us_token_hash_hex(const char *token, char hex[US_HASH_HEX + 1])
{
	unsigned char	h[US_HASH_LEN];

	if (!us_token_hash(token, h))
		return (US_FAIL);
	us_hex(h, sizeof(h), hex);
	return (US_OK);
}

int
us_token_equal(const unsigned char *a, const unsigned char *b)
{
	return (CRYPTO_memcmp(a, b, US_HASH_LEN) == 0);
}

/* Two secrets given as text, compared without a timing signal. */
int
us_token_same(const char *a, const char *b)
{
	size_t	len;

	if (a == NULL || b == NULL || (len = strlen(b)) == 0 ||
	    strlen(a) != len)
		return (0);
	return (CRYPTO_memcmp(a, b, len) == 0);
}

/*
 * The state of an emailed link from its lookup: presented is the digest
 * of the token the client sent, stored the one in the row found (NULL:
 * none), used and expired what the row says.  Nothing about the row is
 * believed until the digests match in constant time.
 */
enum us_token_state
us_token_state(const char *presented, const char *stored, int used,
    int expired)
{
	unsigned char	a[US_HASH_LEN], b[US_HASH_LEN];

	if (presented == NULL || stored == NULL ||
	    !us_unhex(presented, a, sizeof(a)) ||
	    !us_unhex(stored, b, sizeof(b)) || !us_token_equal(a, b))
		return (US_TOKEN_UNKNOWN);
	if (used)
		return (US_TOKEN_USED);
	if (expired)
		return (US_TOKEN_EXPIRED);
	return (US_TOKEN_VALID);
}

/* As pages and templates call the states. */
const char *
us_token_state_name(enum us_token_state st)
{
	switch (st) {
	case US_TOKEN_VALID:
		return ("valid");
	case US_TOKEN_USED:
		return ("used");
	case US_TOKEN_EXPIRED:
		return ("expired");
	default:
		return ("unknown");
	}
}

/* US_OK for a valid link; otherwise the error its state deserves. */
int
us_token_refuse(enum us_token_state st, const struct us_token_msgs *m,
    struct us_error *err)
{
	switch (st) {
	case US_TOKEN_VALID:
		return (US_OK);
	case US_TOKEN_USED:
		return (us_error_set(err, US_E_CONFLICT, "token", "token_used",
		    "%s", m->used));
	case US_TOKEN_EXPIRED:
		return (us_error_set(err, US_E_CONFLICT, "token",
		    "token_expired", "%s", m->expired));
	default:
		return (us_error_set(err, US_E_NOTFOUND, "token",
		    "token_unknown", "%s", m->unknown));
	}
}
