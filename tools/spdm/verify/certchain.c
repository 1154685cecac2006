// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate chains in the format of DSP0274 table 33: Length (2),
 * Reserved (2), RootHash (H), then the DER certificates, root first.
 * From SPDM 1.4 on Length has 4 bytes (no Reserved): chains may exceed
 * 64 KiB.
 */
#include <openssl/err.h>

#include "spdm.h"

/* @name as RFC 2253 text ("" if it cannot be printed) */
void sv_x509_name(X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	buf[0] = 0;
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(b, buf, len - 1);
		buf[n > 0 ? n : 0] = 0;
	}
	BIO_free(b);
}

/* The Length a chain's header states, as @version reads it */
uint32_t sv_chain_length(const struct sv_buf *chain, uint8_t version)
{
	if (chain->len < SV_CHAIN_HDR_LEN)
		return 0;
	return version >= 0x14 ? sv_le32(chain->data) : sv_le16(chain->data);
}

/**
 * sv_chain_leaf() - the last certificate of a chain
 * @chain: the chain
 * @hash_len: the size of its RootHash
 * @nr: receives how many certificates it holds
 *
 * Return: the last certificate (X509_free() it), if the certificates
 * fill the chain exactly after the header and RootHash; else NULL.
 */
X509 *sv_chain_leaf(const struct sv_buf *chain, size_t hash_len, int *nr)
{
	const unsigned char *p, *end = chain->data + chain->len;
	X509 *x, *last = NULL;

	*nr = 0;
	if (chain->len < SV_CHAIN_HDR_LEN + hash_len)
		return NULL;
	p = chain->data + SV_CHAIN_HDR_LEN + hash_len;
	while (p < end && (x = d2i_X509(NULL, &p, end - p))) {
		X509_free(last);
		last = x;
		(*nr)++;
	}
	ERR_clear_error();
	if (p == end && last)
		return last;
	X509_free(last);
	return NULL;
}

/*
 * For display: how many certificates a table-33 chain holds and its leaf's
 * subject; @hash_len 0 tries each digest size.  Returns the digest size
 * that made the chain parse, or 0.
 */
size_t sv_chain_info(const struct sv_buf *chain, size_t hash_len,
		     int *nr_certs, char *leaf, size_t leaflen)
{
	static const size_t sizes[] = { 32, 48, 64 };
	X509 *last;
	size_t i;
	int n;

	for (i = 0; i < SV_ARRAY_SIZE(sizes); i++) {
		if (hash_len && sizes[i] != hash_len)
			continue;
		last = sv_chain_leaf(chain, sizes[i], &n);
		if (last) {
			*nr_certs = n;
			sv_x509_name(X509_get_subject_name(last), leaf,
				     leaflen);
			X509_free(last);
			return sizes[i];
		}
	}
	*nr_certs = 0;
	leaf[0] = 0;
	return 0;
}
