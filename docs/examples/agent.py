#!/usr/bin/env python3
"""A reference agent for The 2028 Window: plays one seat through the JSON seat API (standard library only).

    python3 docs/examples/agent.py --server http://127.0.0.1:2567 --code ABCDEF --role cnGov

Each phase: answer proposals waiting for us, say ready (briefing, negotiation, report), or submit an order
(orders): last quarter's split scaled to this quarter's budget, which the view spells out as legal.order.example.
A language model would read GET /api/agents/view?format=text instead and write the order itself.
"""
import argparse, json, sys, time, urllib.request, urllib.error


def call(server, method, path, body=None, token=None, timeout=40):
    """One call; "429 slow-down" (the per-seat limit, as for people) and a dropped connection are tried again."""
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(1, 21):
        req = urllib.request.Request(server + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return res.status, json.loads(res.read() or b"null")
        except urllib.error.HTTPError as e:
            answer = (e.code, json.loads(e.read() or b"null"))
            if e.code != 429 or attempt == 20:
                return answer
        except (urllib.error.URLError, ConnectionError):
            if attempt >= 5:
                raise
        time.sleep(0.25 * min(attempt, 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--code", required=True)
    ap.add_argument("--role")
    ap.add_argument("--name", default="PyAgent")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    body = {"code": a.code, "name": a.name, "agent": True}
    if a.role:
        body["role"] = a.role
    status, joined = call(a.server, "POST", "/api/agents/join", body)
    if status != 201:
        print("join refused:", joined, file=sys.stderr)
        return 1
    token = joined["token"]
    calls = 1
    status, view = call(a.server, "GET", "/api/agents/view", token=token)
    calls += 1
    done = set()  # (stamp, action) already sent
    while view["match"]["phase"] != "ended":
        stamp = view["stamp"]
        for p in view["legal"]["proposals"]["waitingForYourAnswer"]:
            if ("respond", p["key"]) not in done:
                done.add(("respond", p["key"]))
                call(a.server, "POST", "/api/agents/act", {"type": "respond", "payload": {"key": p["key"], "accept": True}}, token)
                calls += 1
        allowed = {x["type"]: x for x in view["legal"]["actions"] if x["allowedNow"]}
        if "submit" in allowed and not view["team"]["submitted"] and (stamp, "submit") not in done:
            done.add((stamp, "submit"))
            s, answer = call(a.server, "POST", "/api/agents/act", {"type": "submit", "payload": {"order": view["legal"]["order"]["example"]}}, token)
            calls += 1
            if s != 200:
                print("submit refused:", answer.get("error"), file=sys.stderr)
        elif "ready" in allowed and not view["team"]["ready"] and (stamp, "ready") not in done:
            done.add((stamp, "ready"))
            call(a.server, "POST", "/api/agents/act", {"type": "ready", "payload": {"ready": True}}, token)
            calls += 1
        s, waited = call(a.server, "GET", "/api/agents/wait?after=" + stamp + "&timeout=25", token=token)
        calls += 1
        if s != 200:
            if s == 409 and waited.get("code") == "match-over":  # the match ended and its room closed
                view = {"match": {"phase": "ended"}, "view": {"world": {"ending": waited.get("ending")}}}
                break
            print("wait failed:", waited, file=sys.stderr)
            return 1
        if waited.get("changed"):
            view = waited["view"]
            if not a.quiet:
                print(view["match"]["quarter"], view["match"]["phase"], flush=True)
        else:
            s, view = call(a.server, "GET", "/api/agents/view", token=token)
            calls += 1
    ending = (view.get("view", {}).get("world", {}) or {}).get("ending")
    print(json.dumps({"role": joined["role"], "ending": ending and ending.get("id"), "calls": calls}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
