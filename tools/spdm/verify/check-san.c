// SPDX-License-Identifier: GPL-2.0
/*
 * The check "san": the leaf's PCIe CMA otherName (PCIe r6.1 sec 6.31.3)
 * names the device.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "checks-int.h"

#define CMA_OID			"2.23.147"

/* The leaf's subjectAltName, if any (*gens NULL: none); -1: failed */
static int leaf_gens(struct ctx *c, X509 *leaf, GENERAL_NAMES **gens)
{
	int idx = X509_get_ext_by_NID(leaf, NID_subject_alt_name, -1);

	*gens = NULL;
	if (idx >= 0 && X509_get_ext_by_NID(leaf, NID_subject_alt_name, idx) >= 0) {
		chk_set(c, SV_C_SAN, SV_FAIL,
			"the leaf has two subjectAltName extensions");
		return -1;
	}
	if (idx >= 0) {
		*gens = X509V3_EXT_d2i(X509_get_ext(leaf, idx));
		if (!*gens) {
			ERR_clear_error();
			chk_set(c, SV_C_SAN, SV_FAIL,
				"the leaf's subjectAltName is malformed");
			return -1;
		}
	}
	return 0;
}

/* One CMA otherName's UTF8String, kept in the verdict; -1: failed */
static int cma_name(struct ctx *c, const ASN1_TYPE *val)
{
	int len;

	if (val->type != V_ASN1_UTF8STRING) {
		chk_set(c, SV_C_SAN, SV_FAIL,
			"a CMA otherName (%s) of the leaf is not a UTF8String",
			CMA_OID);
		return -1;
	}
	len = ASN1_STRING_length(val->value.utf8string);
	if (len <= 0 || len >= SV_ID_MAX ||
	    memchr(ASN1_STRING_get0_data(val->value.utf8string), 0, len)) {
		chk_set(c, SV_C_SAN, SV_FAIL,
			"a CMA otherName of the leaf is empty, too long or has a NUL");
		return -1;
	}
	if (c->v->nr_sans < SV_MAX_SANS) {
		memcpy(c->v->san[c->v->nr_sans],
		       ASN1_STRING_get0_data(val->value.utf8string), len);
		c->v->san[c->v->nr_sans++][len] = 0;
	}
	return 0;
}

/* The CMA otherNames (2.23.147) among @gens, into the verdict */
static int cma_names(struct ctx *c, GENERAL_NAMES *gens)
{
	ASN1_OBJECT *cma = OBJ_txt2obj(CMA_OID, 1);
	OTHERNAME *other;
	int i, type, rc = 0;

	if (!cma) {
		chk_set(c, SV_C_SAN, SV_FAIL, "out of memory");
		return -1;
	}
	for (i = 0; !rc && gens && i < sk_GENERAL_NAME_num(gens); i++) {
		other = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i),
						&type);
		if (type != GEN_OTHERNAME || OBJ_cmp(other->type_id, cma))
			continue;
		rc = cma_name(c, other->value);
	}
	ASN1_OBJECT_free(cma);
	return rc;
}

/* One of the names is the device's identity, with or without serial */
static void compare_names(struct ctx *c, const char *id, const char *serial)
{
	char with_sn[SV_ID_MAX + SV_SERIAL_LEN + 2];
	bool match = false;
	int i;

	if (!c->v->nr_sans) {
		if (c->o->require_san)
			chk_set(c, SV_C_SAN, SV_FAIL,
				"the leaf names no device (no CMA otherName) and --require-san is given");
		else
			chk_set(c, SV_C_SAN, SV_SKIP,
				"the leaf names no device (no CMA otherName): nothing to compare");
		return;
	}
	if (!id) {
		chk_set(c, SV_C_SAN, SV_FAIL,
			"the leaf names \"%s\"; the device's identity is unknown (--device-ids or --no-san-check)",
			c->v->san[0]);
		return;
	}
	if (serial)
		snprintf(with_sn, sizeof(with_sn), "%s:%s", id, serial);
	for (i = 0; i < c->v->nr_sans; i++)
		match |= !strcmp(c->v->san[i], id) ||
			 (serial && !strcmp(c->v->san[i], with_sn));
	if (match)
		chk_set(c, SV_C_SAN, SV_PASS, "the leaf names the device: %s%s%s",
			id, serial ? ", serial number " : "", serial ?: "");
	else
		chk_set(c, SV_C_SAN, SV_FAIL,
			"the leaf names \"%s\", the device is \"%s\"%s%s",
			c->v->san[0], id, serial ? ", serial number " : "",
			serial ?: "");
}

void check_san(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const char *id = c->o->dev_id, *serial = c->o->dev_serial;
	GENERAL_NAMES *gens;
	X509 *leaf = chk_leaf(c);

	if (chk_nested_na(c, SV_C_SAN))
		return;
	if (c->o->no_san_check) {
		chk_set(c, SV_C_SAN, SV_SKIP, "switched off (--no-san-check)");
		return;
	}
	if (!leaf) {
		chk_set(c, SV_C_SAN, SV_NOT_RUN,
			"not checked: no leaf certificate");
		return;
	}
	if (!id && SV_HAVE(ev, SV_F_DEV_ID)) {
		id = ev->dev_id;
		serial = SV_HAVE(ev, SV_F_DEV_SERIAL) ? ev->dev_serial : NULL;
	}
	if (leaf_gens(c, leaf, &gens))
		return;
	if (!cma_names(c, gens))
		compare_names(c, id, serial);
	GENERAL_NAMES_free(gens);
}
