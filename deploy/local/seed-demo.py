#!/usr/bin/python3
"""Seeds a demo MSSP into a running suite, through the public API only.

    /usr/bin/python3 deploy/local/seed-demo.py http://127.0.0.1:8080 OPERATOR_TOKEN [KEY_FILE]

Six customers in three industries, two approved ISOG-J years each (FY2025 and FY2026, a little
better the second year), a SIM3 assessment for three of them, comments and an evidence file
on a few roles, and one running campaign (FY2027, the gold-tier customers, one of them half
done). Prints the admin key to sign in with and writes it to KEY_FILE when given. The answers
are deterministic: the same seed every time.
"""
import json
import random
import sys
import urllib.error
import urllib.request

API, TOKEN = sys.argv[1].rstrip("/"), sys.argv[2]
KEY_FILE = sys.argv[3] if len(sys.argv) > 3 else None

CUSTOMERS = [
    # name, industry, tier, region, baseline maturity (0..5)
    ("Aozora Bank", "finance", "gold", "kanto", 3.2),
    ("Minato Securities", "finance", "silver", "kanto", 2.4),
    ("Kita Power", "energy", "gold", "tohoku", 2.8),
    ("Tokai Gas", "energy", "silver", "chubu", 1.9),
    ("Sakura Retail", "retail", "gold", "kansai", 2.2),
    ("Yamabuki Stores", "retail", "silver", "kyushu", 1.5),
]

NOTES = {
    "A-1": "Security policy approved by the board in April; reviewed yearly.",
    "B-1": "24/7 monitoring of the SIEM by our SOC; weekends handled by the MSSP.",
    "C-3": "Malware analysis is sent to an external lab; two-day turnaround.",
    "D-1": "Incident response playbook exists for ransomware and phishing only.",
    "F-1": "Threat feeds from JPCERT/CC and an ISAC; not yet tuned to the business.",
}

COMMENTS = [
    ("D-1", "The playbook covers two scenarios. Can you share the ransomware one before we rate this 4?"),
    ("D-1", "Attached the current version; business email compromise is being drafted."),
    ("B-1", "Weekend coverage is contractual: see the MSSP service description, section 3."),
]


def call(method, path, token, body=None, headers=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(API + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if raw is None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req) as r:
            text = r.read()
            return json.loads(text) if text and r.headers.get_content_type() == "application/json" else {}
    except urllib.error.HTTPError as e:
        sys.exit(f"seed-demo: {method} {path}: {e.code} {e.read().decode(errors='replace')}")


def roles(catalogue_id):
    c = call("GET", f"/v1/catalogues/{catalogue_id}?lang=en", ADMIN)
    return [r["code"] for f in c["functions"] for r in f["roles"]]


def answers(codes, rng, base, one_dimension, top):
    out = []
    for code in codes:
        level = max(0, min(top, round(rng.gauss(base, 1.0))))
        a = {"roleCode": code}
        if one_dimension:
            a["level"] = level
        else:
            a["inSource"] = level
            if rng.random() < 0.3:
                a["outSource"] = max(0, min(4, level + rng.choice([-1, 0, 1])))
        if code in NOTES and not one_dimension:
            a["note"] = NOTES[code]
        out.append(a)
    return out


def assessment(org, catalogue, title, date, answer_list, approve):
    a = call("POST", f"/v1/organizations/{org}/assessments", ASSESSOR,
             {"catalogueId": catalogue, "title": title, "assessedOn": date})
    path = f"/v1/organizations/{org}/assessments/{a['id']}"
    call("POST", path + "/answers:batchUpdate", ASSESSOR, {"answers": answer_list})
    if approve:
        call("POST", path + ":submit", ASSESSOR)
        call("POST", path + ":approve", APPROVER)  # someone else approves
    return a["id"], path


tenant = call("POST", "/v1/tenants", TOKEN, {"displayName": "Hikari Security Services"})
ADMIN = call("POST", f"/v1/tenants/{tenant['id']}/apiKeys", TOKEN,
             {"role": "admin", "description": "demo admin"})["key"]
APPROVER = call("POST", f"/v1/tenants/{tenant['id']}/apiKeys", ADMIN,
                {"role": "admin", "description": "demo reviewer"})["key"]
ASSESSOR = call("POST", f"/v1/tenants/{tenant['id']}/apiKeys", ADMIN,
                {"role": "assessor", "description": "demo analyst"})["key"]

isogj, sim3 = roles("isogj-soc-csirt"), roles("sim3")
rng = random.Random(2026)
org_ids = []
for i, (name, industry, tier, region, base) in enumerate(CUSTOMERS):
    org = call("POST", "/v1/organizations", ADMIN,
               {"displayName": name, "industry": industry, "employeeCount": 800 + 450 * i,
                "labels": {"tier": tier, "region": region}})["id"]
    org_ids.append(org)
    assessment(org, "isogj-soc-csirt", "FY2025 self-check", "2025-04-15",
               answers(isogj, rng, base, False, 5), True)
    _, latest = assessment(org, "isogj-soc-csirt", "FY2026 self-check", "2026-04-15",
                           answers(isogj, rng, base + 0.6, False, 5), True)
    if i % 2 == 0:
        assessment(org, "sim3", "SIM3 baseline 2026", "2026-06-01",
                   answers(sim3, rng, min(4, base), True, 4), False)
    if i == 0:
        # The discussion and the proof behind one rating, on the approved FY2026 assessment.
        for role, body in COMMENTS:
            call("POST", f"{latest}/roles/{role}/comments", ASSESSOR if "Attached" in body else APPROVER,
                 {"body": body})

# The running round: the gold tier, due at the end of June; the first customer half done.
campaign = call("POST", "/v1/campaigns", ASSESSOR,
                {"title": "FY2027 self-check", "catalogueId": "isogj-soc-csirt",
                 "assessedOn": "2027-04-15", "dueOn": "2027-06-30", "label": "tier=gold"},
                headers={"Idempotency-Key": "demo-fy2027"})
first = campaign["assessments"][0]
path = f"/v1/organizations/{first['organizationId']}/assessments/{first['assessmentId']}"
call("POST", path + "/answers:batchUpdate", ASSESSOR,
     {"answers": answers(isogj[:27], rng, 3.5, False, 5)})
evidence = ("Ransomware response playbook (demo)\n"
            "1. Isolate affected hosts from the network.\n"
            "2. Notify the CSIRT lead and the legal department.\n").encode()
call("POST", path + "/roles/D-1/evidence?filename=ransomware-playbook.txt", ASSESSOR,
     raw=evidence, headers={"Content-Type": "text/plain"})
call("POST", path + "/roles/D-1/comments", ASSESSOR,
     {"body": "Playbook attached; the phishing one follows next week."})

if KEY_FILE:
    with open(KEY_FILE, "w") as f:
        f.write(ADMIN + "\n")
print(f"demo tenant {tenant['id']}: {len(CUSTOMERS)} customers, campaign {campaign['id']}")
print(f"sign in with the admin key: {ADMIN}")
