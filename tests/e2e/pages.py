"""Steps a person takes in the dashboards, shared by the browser tests."""

from __future__ import annotations

from vigie.dashboards.i18n import t


def sign_in(browser, served, who: str, *, lang: str = "fr") -> None:
    """Sign in to the dashboards as ``who`` through the local OIDC provider, as a person
    does: the sign-in button, the provider's page, the person's button, back signed in."""
    page = browser.page
    page.goto(f"{served.base('dashboards')}/?lang={lang}", wait_until="domcontentloaded")
    page.get_by_role("button", name=t("sign_in", lang)).click()
    page.wait_for_url(f"{served.base('sign_in')}/**", timeout=30_000)
    known = page.get_by_role("button", name=who, exact=True)
    if known.count():
        known.click()
    else:  # a subject the provider does not list: typed in, as anyone can
        page.get_by_placeholder("sub").fill(who)
        page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{served.base('dashboards')}/**", timeout=30_000)
    # signed in (or told there is no access): a sign-out button either way. The provider
    # sends the person back to the app's root, in French: the language is chosen again
    page.get_by_role("button", name=t("sign_out", "fr")).first.wait_for(timeout=60_000)
    if lang != "fr":
        page.goto(f"{served.base('dashboards')}/?lang={lang}", wait_until="domcontentloaded")
        page.get_by_role("button", name=t("sign_out", lang)).first.wait_for(timeout=60_000)
    wait_for_script(page)


#: Streamlit's app root says where its script is: "initial" (not run yet), "running",
#: "notRunning" (finished); the status widget shows while it runs
SCRIPT_DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def wait_for_script(page) -> None:
    """Until Streamlit has finished running the page's script (not merely started it)."""
    page.wait_for_timeout(200)  # a click's rerun starts after the click returns
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)
    page.wait_for_timeout(300)
