# Copies default.yaml's world (model, regions, events with role ids merged, endings) into two-player.yaml.
# Run from the repository root: python3 tests/helpers/sync-two-player.py
import re
d = open('assets/rules/default.yaml').read()
t = open('assets/rules/two-player.yaml').read()
def block(s, start, stop_pattern):
    i = s.index(start)
    m = re.search(stop_pattern, s[i + len(start):])
    return i, i + len(start) + (m.start() if m else len(s) - i - len(start))
for key, stop in [('\nregions:\n', r'\n\n|\nmodel:'), ('\nmodel:\n', r'\n\n')]:
    a, b = block(d, key, stop)
    c, e = block(t, key, stop)
    t = t[:c] + d[a:b] + t[e:]
a, b = block(d, '\nevents:\n', r'\n\n(#|proposals:)')
ev = d[a:b]
for x, y in [('role.usGov.', 'role.us.'), ('role.usLab.', 'role.us.'), ('role.cnGov.', 'role.china.'), ('role.cnLab.', 'role.china.'),
             ('role: usLab', 'role: us'), ('role: usGov', 'role: us'), ('role: cnGov', 'role: china'), ('role: cnLab', 'role: china')]:
    ev = ev.replace(x, y)
c, e = block(t, '\nevents:\n', r'\n\n(#|proposals:)')
t = t[:c] + ev + t[e:]
t = t[:t.index('\nendings:\n')] + d[d.index('\nendings:\n'):]
open('assets/rules/two-player.yaml', 'w').write(t)
