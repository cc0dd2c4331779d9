# ruff: noqa: E501 - data tables: one row a line reads better than wrapped rows
"""The rows of the hand-built packs, as pipe-separated tables (one line a row).

Written as text so a realistic pack stays readable: `pack_fixtures` turns each table
into the pack's dataclasses. An empty field is "" (or None where a number is missing).
"""

from __future__ import annotations

PEOPLE = """
Małgorzata Wiśniewska|Managing Director|Łódź Freight Sp. z o.o.|yes
Grzegorz Brzęczyszczykiewicz|Finance Manager|Łódź Freight Sp. z o.o.|yes
Νίκος Παπαδόπουλος|Operations Lead|Łódź Freight Sp. z o.o.|no
Ольга Смирнова|Office Manager|Łódź Freight Sp. z o.o.|
Dana Whitfield|vCIO|BrightPath IT|yes
Sam Okafor|TAM|BrightPath IT|yes
"""

AGENDA = """
10|Welcome and goals for today|Dana Whitfield|
15|Actions from the last meeting|Dana Whitfield|
25|Alignment review: findings and risks|Sam Okafor|Focus on backup, identity and the two vulnerable findings.
20|Roadmap and budget for FY2027|Dana Whitfield|Agree the Q1 and Q2 projects.
15|Improvement register: progress on KPIs|Sam Okafor|
10|Meeting rhythm and next dates|Dana Whitfield|
10|Decisions, actions and sign-off|Małgorzata Wiśniewska|
"""

CARRIED = """
Replace the two out-of-warranty switches in the warehouse|Sam Okafor|2026-09-30|done|no|
Run a restore test of the accounting server backup|Sam Okafor|2026-10-15|open|yes|
Decide on the phone system renewal (3 quotes)|Grzegorz Brzęczyszczykiewicz|2026-11-01|open|yes|Waiting for the vendor's second quote.
Enrol all office staff in security awareness training|Ольга Смирнова|2026-12-15|open|no|
Retire the old file server after the SharePoint move|Sam Okafor|2026-10-31|cancelled|no|
Collect the list of line-of-business applications|Νίκος Παπαδόπουλος||open|no|
Turn on MFA for the two remaining shared mailboxes|Sam Okafor|2026-09-15|done|no|
Review the cyber insurance questionnaire with the broker|Małgorzata Wiśniewska|2026-11-10|open|yes|
"""

RAISED = """
Book the Q1 firewall replacement window|Dana Whitfield|2026-12-12|open|no|
Send the FY2027 budget summary to finance|Dana Whitfield|2026-12-01|open|no|
Confirm the laptop refresh quantities|Grzegorz Brzęczyszczykiewicz|2027-01-15|open|no|
"""

SECTION_SCORES = """
Security|62.0|100.0|4
Backup and recovery|58.5|90.0|3
Identity and access|80.0|95.0|3
Network|77.0|88.0|2
End-user computing|84.0|92.0|2
Business continuity||0.0|0
"""

WHY = {
    "Security": "Unpatched systems are the most common way attackers get in; "
    "patches close known holes.",
    "Backup and recovery": "A backup that has never been restored is a hope, not a plan. "
    "Tests prove recovery within the agreed time.",
    "Identity and access": "Stolen passwords cause most breaches; "
    "a second factor stops almost all of them.",
    "Network": "Devices past their support date get no security fixes "
    "and fail without spare parts.",
    "End-user computing": "Old laptops slow people down and can no longer run "
    "supported operating systems.",
}
HOW = "Agree the change with the client, schedule it, and record the evidence in the review."

FINDINGS = """
SEC-01|Security|Patching|Are critical operating system patches installed within 14 days?|high|vulnerable|Managed patching for servers
SEC-04|Security|Endpoint|Is endpoint detection and response running on every device?|high|marginal|EDR roll-out
SEC-07|Security|Email|Are SPF, DKIM and DMARC set to reject for the company domain?|medium|marginal|
SEC-11|Security|Awareness|Do all staff complete security awareness training every year?|medium||Security awareness programme
BCK-02|Backup and recovery|Testing|Is a full restore test performed and documented every quarter?|high|vulnerable|Quarterly restore tests
BCK-03|Backup and recovery|Offsite|Is there an immutable offsite copy of every backup?|high|marginal|Immutable cloud backup
BCK-05|Backup and recovery|Retention|Does backup retention meet the legal retention period (5 years)?|low|marginal|
IAM-01|Identity and access|MFA|Is multi-factor authentication enforced for every user and admin?|high|marginal|Conditional access
IAM-06|Identity and access|Joiners/leavers|Are leavers' accounts disabled on their last day?|medium|vulnerable|
IAM-09|Identity and access|Admin|{internal}|high|vulnerable|
NET-02|Network|Lifecycle|Are all switches and firewalls within vendor support?|high|vulnerable|Firewall and switch replacement
NET-05|Network|Wi-Fi|Is guest Wi-Fi separated from the office network?|medium|marginal|
EUC-03|End-user computing|Lifecycle|Are all laptops younger than five years?|medium|marginal|Laptop refresh 2027
EUC-08|End-user computing|Encryption|Is disk encryption on for every laptop?|high|marginal|Laptop refresh 2027
"""

QUARTERS = """
FY2027 Q1|2026-10-01|2026-12-31|4800|1350
FY2027 Q2|2027-01-01|2027-03-31|18500|2100
FY2027 Q3|2027-04-01|2027-06-30|7200|2850
FY2027 Q4|2027-07-01|2027-09-30|0|2850
FY2028 Q1|2027-10-01|2027-12-31|24000|3300
FY2028 Q2|2028-01-01|2028-03-31|3500|3300
"""

ROADMAP = """
Quarterly restore tests|FY2027 Q1|in_progress|S|high|800|150|50
Managed patching for servers|FY2027 Q1|approved|M|high|1500|300|25
Security awareness programme|Earlier|in_progress|S|medium|0|90|60
Firewall and switch replacement|FY2027 Q2|approved|L|high|14500|120|
Conditional access|FY2027 Q2|proposed|M|high|2500|0|0
EDR roll-out|FY2027 Q3|proposed|M|high|1200|400|
Immutable cloud backup|FY2027 Q3|proposed|M|high|3000|250|
Laptop refresh 2027|FY2028 Q1|proposed|XL|medium|24000|0|
Phone system renewal|FY2028 Q2|idea|M|low|3500|150|
Document management clean-up|Later|idea|L|low|6000|0|
Intranet refresh|Unscheduled|idea|M|low|4000|60|
"""

CSI = """
Quarterly restore tests|S|high|in_progress|Restore tests passed|tests|0|4|2|50|FY2027 Q1|Proves the backups work; the insurer asks for evidence.
Managed patching for servers|M|high|approved|Servers patched within 14 days|%|40|100|55|25|FY2027 Q1|Closes the most common way in for attackers.
Security awareness programme|S|medium|in_progress|Staff trained|%|0|100|60|60|Earlier|Phishing is how most incidents start.
Firewall and switch replacement|L|high|approved|||||||FY2027 Q2|The firewall leaves vendor support in March 2027.
Conditional access|M|high|proposed|Sign-ins with MFA|%|70|100|70|0|FY2027 Q2|Stops password-only sign-ins from unknown places.
EDR roll-out|M|high|proposed|Devices covered|devices|0|48|||FY2027 Q3|Detects and stops attacks that antivirus misses.
Immutable cloud backup|M|high|proposed|||||||FY2027 Q3|Ransomware cannot delete an immutable copy.
Laptop refresh 2027|XL|medium|proposed|Laptops under 5 years|%|45|100|45|0|FY2028 Q1|Old laptops cannot run Windows 11 and slow people down.
Phone system renewal|M|low|idea|Monthly call cost|PLN|2400|1500|2400|0|FY2028 Q2|
Document management clean-up|L|low|idea|||||||Unscheduled|
"""


def rows(table: str) -> list[list[str]]:
    """The fields of each non-empty line of a pipe-separated table."""
    return [line.split("|") for line in table.strip().splitlines() if line.strip()]
