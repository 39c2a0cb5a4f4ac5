#include <string.h>

#include <openssl/evp.h>

#include "sig.h"
#include "token.h"

static int	sig_fail(struct us_error *, const char *);

static int
sig_fail(struct us_error *err, const char *what)
{
	return (us_error_set(err, US_E_INTERNAL, NULL, "crypto_failed",
	    "OpenSSL could not %s", what));
}

/* A new key pair from OpenSSL's random source. */
int
us_sig_keygen(unsigned char priv[US_SIG_KEY_LEN],
    unsigned char pub[US_SIG_KEY_LEN], struct us_error *err)
{
	if (!us_random(priv, US_SIG_KEY_LEN))
		return (sig_fail(err, "make random bytes"));
	return (us_sig_public(priv, pub, err));
}

/* The public key of a private one. */
int
us_sig_public(const unsigned char priv[US_SIG_KEY_LEN],
    unsigned char pub[US_SIG_KEY_LEN], struct us_error *err)
{
	EVP_PKEY	*k;
	size_t		 len = US_SIG_KEY_LEN;
	int		 ok;

	if ((k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv,
	    US_SIG_KEY_LEN)) == NULL)
		return (sig_fail(err, "load an Ed25519 key"));
	ok = EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 &&
	    len == US_SIG_KEY_LEN;
	EVP_PKEY_free(k);
	return (ok ? US_OK : sig_fail(err, "derive an Ed25519 public key"));
}

int
us_sig_sign(const unsigned char priv[US_SIG_KEY_LEN], const void *msg,
    size_t len, unsigned char sig[US_SIG_LEN], struct us_error *err)
{
	EVP_PKEY	*k;
	EVP_MD_CTX	*ctx;
	size_t		 slen = US_SIG_LEN;
	int		 ok = 0;

	if ((k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv,
	    US_SIG_KEY_LEN)) == NULL)
		return (sig_fail(err, "load an Ed25519 key"));
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestSign(ctx, sig, &slen, msg, len) == 1 &&
	    slen == US_SIG_LEN)
		ok = 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return (ok ? US_OK : sig_fail(err, "sign"));
}

/* 1 when sig is pub's signature of msg, 0 otherwise. */
int
us_sig_verify(const unsigned char pub[US_SIG_KEY_LEN], const void *msg,
    size_t len, const unsigned char sig[US_SIG_LEN])
{
	EVP_PKEY	*k;
	EVP_MD_CTX	*ctx;
	int		 ok = 0;

	if ((k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
	    US_SIG_KEY_LEN)) == NULL)
		return (0);
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	    EVP_DigestVerify(ctx, sig, US_SIG_LEN, msg, len) == 1)
		ok = 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return (ok);
}

void
us_sig_key_id(const unsigned char pub[US_SIG_KEY_LEN],
    char id[US_SIG_ID_LEN + 1])
{
	unsigned char	h[US_HASH_LEN];

	us_sha256(pub, US_SIG_KEY_LEN, h);
	us_hex(h, US_SIG_ID_LEN / 2, id);
}

void
us_b64_encode(struct us_buf *b, const unsigned char *data, size_t len)
{
	static const char	abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long		v;
	size_t			i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned long)data[i] << 16 | data[i + 1] << 8 |
		    data[i + 2];
		us_buf_putc(b, abc[v >> 18 & 63]);
		us_buf_putc(b, abc[v >> 12 & 63]);
		us_buf_putc(b, abc[v >> 6 & 63]);
		us_buf_putc(b, abc[v & 63]);
	}
	if (len - i == 1) {
		v = (unsigned long)data[i] << 16;
		us_buf_putc(b, abc[v >> 18 & 63]);
		us_buf_putc(b, abc[v >> 12 & 63]);
		us_buf_puts(b, "==");
	} else if (len - i == 2) {
		v = (unsigned long)data[i] << 16 | data[i + 1] << 8;
		us_buf_putc(b, abc[v >> 18 & 63]);
		us_buf_putc(b, abc[v >> 12 & 63]);
		us_buf_putc(b, abc[v >> 6 & 63]);
		us_buf_putc(b, '=');
	}
}

/*
 * Standard padded base64 into out (at most size bytes); *len is what it
 * held.  Anything else (white space, base64url, a missing pad) is
 * refused: a key or signature has one spelling.
 */
int
us_b64_decode(const char *s, unsigned char *out, size_t size, size_t *len)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p;
	size_t			 n = strlen(s), i, o = 0;
	unsigned long		 v;
	int			 c, k, pad;

	if (n == 0 || n % 4 != 0)
		return (US_FAIL);
	for (i = 0; i < n; i += 4) {
		v = 0;
		pad = 0;
		for (k = 0; k < 4; k++) {
			c = s[i + k];
			if (c == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (pad > 0 || c == '\0' ||
			    (p = strchr(abc, c)) == NULL)
				return (US_FAIL);
			v = v << 6 | (unsigned long)(p - abc);
		}
		if (o + 3 - (size_t)pad > size)
			return (US_FAIL);
		out[o++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)v;
	}
	*len = o;
	return (US_OK);
}
