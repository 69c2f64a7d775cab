"""Administration: structures, API keys, dashboard access and the document archive."""

from __future__ import annotations

import sys

import click

from vigie.platform.reference import LEGAL_DELAY_DAYS
from vigie.platform.settings import get_settings


@click.group()
def structure():
    """Structures (public entities and suppliers) of the platform."""


@structure.command("create")
@click.option("--siret", required=True, help="14 digits, Luhn-checked (La Poste exception).")
@click.option("--name", required=True)
@click.option(
    "--public",
    "category",
    type=click.Choice(list(LEGAL_DELAY_DAYS)),
    help="A public structure of this category (legal delay: "
    + ", ".join(f"{c} {d} days" for c, d in LEGAL_DELAY_DAYS.items())
    + ").",
)
@click.option("--private", is_flag=True, help="A private structure (a supplier).")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="CODE",
    help="A service code of the structure (repeat for several).",
)
@click.option("--requires-service-code", is_flag=True, help="Invoices must name a service.")
@click.option("--requires-engagement", is_flag=True, help="Invoices must carry an engagement.")
@click.option(
    "--no-payment-status", is_flag=True, help="The structure does not report MISE_EN_PAIEMENT."
)
@click.option("--delay", type=click.IntRange(1, 120), help="Override the legal delay (days).")
@click.option("--vat-id", help="Intra-EU VAT number (FR…).")
@click.option(
    "--vat-regime",
    type=click.Choice(
        ["reel_normal_mensuel", "reel_normal_trimestriel", "reel_simplifie", "franchise"]
    ),
    help="Makes it an e-reporting declarant; sets the periods of its transmissions.",
)
@click.option("--vat-on-debits", is_flag=True, help="It opted for VAT on debits.")
def structure_create(
    siret,
    name,
    category,
    private,
    services,
    requires_service_code,
    requires_engagement,
    no_payment_status,
    delay,
    vat_id,
    vat_regime,
    vat_on_debits,
):
    """Create a structure; print it as JSON with its id and API key."""

    from vigie.platform.service import Platform, PlatformError

    if bool(category) == bool(private):
        raise click.UsageError("give exactly one of --public CATEGORY or --private")
    platform = Platform(get_settings())
    try:
        created = platform.create_structure(
            siret=siret,
            name=name,
            public_category=category,
            legal_payment_delay_days=delay,
            requires_service_code=requires_service_code,
            requires_engagement_number=requires_engagement,
            reports_payment_status=not no_payment_status,
            services=[{"code": code} for code in services],
            vat_id=vat_id,
            vat_regime=vat_regime,
            vat_on_debits=vat_on_debits,
        )
    except PlatformError as err:
        raise click.ClickException(f"{err.code}: {err.message_en} ({err.detail})") from None
    finally:
        platform.close()
    click.echo(created.model_dump_json(indent=2))


@click.command("operator-key")
@click.option("--name", required=True, help="Who the key is for.")
def operator_key(name):
    """Create an operator API key (sees everything, manages structures); print it as JSON."""
    import json

    from vigie.platform.store import Store

    store = Store(get_settings().platform_db_path)
    try:
        click.echo(
            json.dumps(
                {"name": name, "role": "operator", "api_key": store.create_operator_key(name)}
            )
        )
    finally:
        store.close()


@click.group()
def key():
    """API keys, for machines: create, list, rotate, revoke."""


def _store():
    from vigie.platform.store import Store

    return Store(get_settings().platform_db_path)


@key.command("list")
def key_list():
    """Every key (by id: the start of its hash; the key itself is never kept)."""
    store = _store()
    try:
        for k in store.api_keys():
            state = f"revoked {k['revoked_at'][:19]}" if k["revoked_at"] else "active"
            click.echo(
                f"{k['key_id']}  {k['role']:<9}  {k['siret'] or '-':<14}  {state:<27}  {k['name']}"
            )
    finally:
        store.close()


@key.command("create")
@click.option("--structure", "siret", help="The key of this structure (its SIRET).")
@click.option("--operator", is_flag=True, help="An operator key (sees everything).")
@click.option("--name", required=True, help="Who or what the key is for.")
def key_create(siret, operator, name):
    """Create a key; print it once as JSON (only its hash is kept)."""
    import json

    if bool(siret) == bool(operator):
        raise click.UsageError("give exactly one of --structure SIRET or --operator")
    store = _store()
    try:
        made = (
            store.create_operator_key(name) if operator else store.create_structure_key(siret, name)
        )
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(
        json.dumps(
            {
                "name": name,
                "role": "operator" if operator else "structure",
                "siret": siret,
                "api_key": made,
            }
        )
    )


@key.command("rotate")
@click.argument("key_id")
def key_rotate(key_id):
    """Replace a key: a new one for the same holder, the old one revoked at once."""
    import json

    store = _store()
    try:
        made = store.rotate_api_key(key_id)
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(json.dumps({"replaced": key_id, "api_key": made}))


@key.command("revoke")
@click.argument("key_id")
def key_revoke(key_id):
    """Revoke a key: the API refuses it within seconds (401)."""
    store = _store()
    try:
        store.revoke_api_key(key_id)
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(f"revoked {key_id}")


@click.group()
def access():
    """Who may sign in to the dashboards, with which role and structures; the audit log."""


def _operator_name() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@access.command("grant")
@click.option("--email", help="The person, by the e-mail their provider gives.")
@click.option(
    "--organisation",
    "organisation_siret",
    help="Everybody of this organisation (the SIRET ProConnect gives).",
)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["operator", "public_entity", "supplier", "tax_administration"]),
)
@click.option(
    "--structure",
    "structures",
    multiple=True,
    metavar="SIRET",
    help="A structure the person sees (public_entity, supplier; repeatable).",
)
def access_grant(email, organisation_siret, role, structures):
    """Let a person (or an organisation) sign in with ROLE over their structures."""
    from vigie.platform import access as acl

    store = _store()
    try:
        made = acl.grant(
            store,
            role=role,
            by=_operator_name(),
            email=email,
            organisation_siret=organisation_siret,
            structure_sirets=tuple(structures),
        )
    except acl.AccessError as err:
        raise click.ClickException(str(err)) from None
    finally:
        store.close()
    click.echo(
        f"granted {role} to {email or organisation_siret}"
        + (f" over {', '.join(structures)}" if structures else "")
        + ("" if made else " (already in force)")
    )


@access.command("revoke")
@click.option("--email")
@click.option("--organisation", "organisation_siret")
def access_revoke(email, organisation_siret):
    """Revoke every grant of a person (or organisation): their next page says no access."""
    from vigie.platform import access as acl

    store = _store()
    try:
        count = acl.revoke(
            store, by=_operator_name(), email=email, organisation_siret=organisation_siret
        )
    except acl.AccessError as err:
        raise click.ClickException(str(err)) from None
    finally:
        store.close()
    click.echo(f"revoked {count} grant(s) of {email or organisation_siret}")


@access.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Revoked grants too.")
def access_list(include_revoked):
    """The grants in force (principal, role, structure)."""
    from vigie.platform import access as acl

    store = _store()
    try:
        for g in acl.grants(store, include_revoked=include_revoked):
            state = f"  revoked {g['revoked_at'][:19]}" if g["revoked_at"] else ""
            click.echo(
                f"{g['principal']:<36} {g['role']:<19} {g['structure_siret'] or '-':<14}{state}"
            )
    finally:
        store.close()


@access.command("audit")
@click.option("--limit", default=50, show_default=True)
@click.option("--action", type=click.Choice(["view", "download", "denied", "sign_in"]))
def access_audit(limit, action):
    """The latest entries of the audit log (who, when, page, filters, download)."""
    from vigie.platform import access as acl

    store = _store()
    try:
        for e in acl.audit_entries(store, limit=limit, action=action):
            click.echo(
                f"{e['at'][:19]}  {e['who']:<32} {e['action']:<8} "
                f"{e['page'] or '-':<11} {e['detail']}"
            )
    finally:
        store.close()


@click.group()
def documents():
    """The archive of deposited documents (content-addressed by SHA-256)."""


@documents.command("verify")
def documents_verify():
    """Recompute the hash of every archived document; list and fail on mismatches."""
    from vigie.platform.document_store import DocumentStore

    store = DocumentStore(get_settings().documents_dir)
    checked, bad = store.verify()
    for m in bad:
        click.echo(f"MISMATCH {m.path}: content hashes to {m.actual}")
    click.echo(f"{checked:,} documents checked, {len(bad):,} mismatches")
    sys.exit(1 if bad else 0)


COMMANDS = [structure, operator_key, key, access, documents]
