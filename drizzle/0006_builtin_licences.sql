-- Licences every installation offers: the open licences of Canadian governments and the usual
-- Creative Commons and Open Data Commons ones. Operators may add others.
INSERT INTO catalogue.licences (id, title, url, open, position) VALUES
  ('ogl-ontario-1.0', '{"en": "Open Government Licence – Ontario", "fr": "Licence du gouvernement ouvert – Ontario"}', '{"en": "https://www.ontario.ca/page/open-government-licence-ontario", "fr": "https://www.ontario.ca/fr/page/licence-du-gouvernement-ouvert-ontario"}', true, 0),
  ('ca-ogl-lgo', '{"en": "Open Government Licence – Canada", "fr": "Licence du gouvernement ouvert – Canada"}', '{"en": "https://open.canada.ca/en/open-government-licence-canada", "fr": "https://ouvert.canada.ca/fr/licence-du-gouvernement-ouvert-canada"}', true, 1),
  ('cc-by-4.0', '{"en": "Creative Commons Attribution 4.0", "fr": "Creative Commons Attribution 4.0"}', '{"en": "https://creativecommons.org/licenses/by/4.0/", "fr": "https://creativecommons.org/licenses/by/4.0/deed.fr"}', true, 2),
  ('cc0-1.0', '{"en": "Creative Commons Zero (public domain)", "fr": "Creative Commons Zéro (domaine public)"}', '{"en": "https://creativecommons.org/publicdomain/zero/1.0/", "fr": "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"}', true, 3),
  ('odc-pddl', '{"en": "Open Data Commons Public Domain Dedication and Licence", "fr": "Open Data Commons – dédicace et licence du domaine public"}', '{"en": "https://opendatacommons.org/licenses/pddl/", "fr": "https://opendatacommons.org/licenses/pddl/"}', true, 4),
  ('odc-odbl', '{"en": "Open Data Commons Open Database Licence", "fr": "Open Data Commons – licence de base de données ouverte"}', '{"en": "https://opendatacommons.org/licenses/odbl/", "fr": "https://opendatacommons.org/licenses/odbl/"}', true, 5),
  ('other-closed', '{"en": "Not open (all rights reserved)", "fr": "Non ouverte (tous droits réservés)"}', '{"en": "https://en.wikipedia.org/wiki/All_rights_reserved", "fr": "https://fr.wikipedia.org/wiki/Tous_droits_r%C3%A9serv%C3%A9s"}', false, 6)
ON CONFLICT (id) DO NOTHING;
