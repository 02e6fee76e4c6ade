/**
 * Ontario's Digital Service Standard, seed data for `services.standard_points`.
 *
 * Source: Ontario Digital Service, "Digital Service Standard" / « Norme des services numériques »,
 * https://www.ontario.ca/page/digital-service-standard and
 * https://www.ontario.ca/fr/page/norme-des-services-numeriques, maintained in the open at
 * https://github.com/ongov/Digital-Service-Standard (README.md and README-FR.md).
 * Licence: Open Government Licence – Ontario (https://www.ontario.ca/page/open-government-licence-ontario).
 *
 * Titles are the official English and French titles as published in that repository. Descriptions
 * are our own one- or two-sentence plain-language summaries of each point's official introduction.
 *
 * Points and their order: the current Ontario.ca page says the standard "sets out 13 points" and
 * opens with "1. Understand users and their needs"; the complete text that could be read is the
 * repository's earlier 14-point version, whose 14th point, "Test with the minister", is not carried
 * here. The 13 points below are that version's points 1 to 13. Check them against the live page
 * before relying on the numbering.
 */
export interface StandardPointSeed {
  id: string;
  position: number;
  title: { en: string; fr: string };
  description: { en: string; fr: string };
}

export const ontarioDigitalServiceStandard: StandardPointSeed[] = [
  {
    id: 'on-dss-01',
    position: 1,
    title: { en: 'Understand users and their needs', fr: 'Comprendre les utilisateurs et leurs besoins' },
    description: {
      en: 'Start with the people who will use the service. Research who they are, how they behave and what they need, including people with disabilities, before deciding what to build.',
      fr: 'Commencez par les personnes qui utiliseront le service. Cherchez à savoir qui elles sont, comment elles agissent et ce dont elles ont besoin, y compris les personnes handicapées, avant de décider quoi construire.',
    },
  },
  {
    id: 'on-dss-02',
    position: 2,
    title: { en: 'Establish the right team', fr: 'Former une équipe adaptée' },
    description: {
      en: 'Put in place a lasting multidisciplinary team that can design, build and keep improving the service. It is led by a skilled product manager who can make decisions.',
      fr: 'Mettez en place une équipe pluridisciplinaire durable capable de concevoir, de créer et d’améliorer sans cesse le service. Elle est dirigée par un chef de produit qualifié qui peut prendre des décisions.',
    },
  },
  {
    id: 'on-dss-03',
    position: 3,
    title: { en: 'Be consistent', fr: 'Faire preuve de constance' },
    description: {
      en: 'People should have a coherent, positive and consistent experience every time they deal with the Ontario government. Use Ontario.ca and common designs, online, by phone and in person.',
      fr: 'Chaque interaction avec le gouvernement de l’Ontario doit offrir une expérience cohérente, positive et constante. Utilisez Ontario.ca et des modèles communs, en ligne, au téléphone et en personne.',
    },
  },
  {
    id: 'on-dss-04',
    position: 4,
    title: { en: 'Design the service from start to finish', fr: 'Conception du service du début à la fin' },
    description: {
      en: 'Understand what people are trying to achieve and every step to get there, online and offline. Each step should move them closer to their goal and, where possible, be possible online.',
      fr: 'Comprenez ce que les gens cherchent à accomplir et chaque étape pour y arriver, en ligne ou non. Chaque étape doit les rapprocher de leur but et, si possible, pouvoir se faire en ligne.',
    },
  },
  {
    id: 'on-dss-05',
    position: 5,
    title: { en: 'Ensure users succeed the first time', fr: 'Réussite assurée dès le premier essai des utilisateurs' },
    description: {
      en: 'Make the service so simple and clear that people can complete it on their first try without help, including people with accessibility needs or little digital experience.',
      fr: 'Rendez le service si simple et si clair que les gens peuvent le terminer du premier coup sans aide, y compris les personnes ayant des besoins d’accessibilité ou peu d’expérience du numérique.',
    },
  },
  {
    id: 'on-dss-06',
    position: 6,
    title: { en: 'Test the end-to-end service', fr: 'Tester le service de bout en bout' },
    description: {
      en: 'Keep testing the whole service so that it stays available and free of errors. Test with the browsers and devices people use, including assistive devices.',
      fr: 'Testez le service en entier de façon continue pour qu’il reste disponible et sans erreur. Testez-le avec les navigateurs et les appareils que les gens utilisent, y compris les appareils fonctionnels.',
    },
  },
  {
    id: 'on-dss-07',
    position: 7,
    title: { en: 'Make it accessible', fr: 'Rendre le service accessible' },
    description: {
      en: 'Make sure everyone can use the service, whatever their abilities, device, environment or quality of access. In Ontario this means meeting WCAG 2.0 level AA.',
      fr: 'Assurez-vous que tout le monde peut utiliser le service, quels que soient ses capacités, son appareil, son environnement ou sa qualité d’accès. En Ontario, cela veut dire respecter le niveau AA des WCAG 2.0.',
    },
  },
  {
    id: 'on-dss-08',
    position: 8,
    title: { en: 'Be agile and user-centred', fr: 'Souplesse et orientation sur l’utilisateur' },
    description: {
      en: 'Build the service in small iterations, one feature at a time, and test each with users. This exposes problems early and keeps user needs balanced with business needs.',
      fr: 'Créez le service par petites itérations, une fonctionnalité à la fois, et testez chacune avec les utilisateurs. Les problèmes apparaissent plus tôt et les besoins des utilisateurs restent en équilibre avec les besoins opérationnels.',
    },
  },
  {
    id: 'on-dss-09',
    position: 9,
    title: { en: 'Use open standards and common platforms', fr: 'Utiliser des normes ouvertes et des plateformes communes' },
    description: {
      en: 'Use open standards, open source software and common government platforms where they exist. This saves money, avoids lock-in and gives people a more consistent experience.',
      fr: 'Utilisez des normes ouvertes, des logiciels libres et les plateformes gouvernementales communes lorsqu’elles existent. Cela réduit les coûts, évite la dépendance envers un fournisseur et offre une expérience plus cohérente.',
    },
  },
  {
    id: 'on-dss-10',
    position: 10,
    title: { en: 'Embed privacy and security by design', fr: 'Intégrer la sécurité et la protection de la vie privée au niveau de la conception' },
    description: {
      en: 'Know what data the service uses, stores or creates, and put legal, privacy and security measures in place from the start so that people can trust it with their information.',
      fr: 'Sachez quelles données le service utilise, conserve ou crée, et prenez dès le départ les mesures juridiques, de sécurité et de protection de la vie privée voulues pour que les gens puissent lui confier leurs renseignements.',
    },
  },
  {
    id: 'on-dss-11',
    position: 11,
    title: { en: 'Encourage people to use digital services', fr: 'Utilisation des services numériques encouragée' },
    description: {
      en: 'Encourage people to choose the digital service in every interaction with government. Design it so it has clear advantages over other channels.',
      fr: 'Encouragez les gens à choisir le service numérique à chacune de leurs interactions avec le gouvernement. Concevez-le de façon à ce qu’il présente des avantages nets par rapport aux autres canaux.',
    },
  },
  {
    id: 'on-dss-12',
    position: 12,
    title: { en: 'Support those who need it', fr: 'Soutien aux personnes qui en ont besoin' },
    description: {
      en: 'Offer support in every channel, such as phone, chat or in person, for people who cannot use the digital service on their own, and let them know it exists.',
      fr: 'Offrez du soutien dans tous les canaux, par exemple au téléphone, par clavardage ou en personne, aux personnes qui ne peuvent pas utiliser seules le service numérique, et faites-le connaître.',
    },
  },
  {
    id: 'on-dss-13',
    position: 13,
    title: { en: 'Measure performance', fr: 'Mesurer le rendement' },
    description: {
      en: 'Continuously collect and monitor performance data, such as analytics, feedback and cost per transaction, and use it to keep improving the service.',
      fr: 'Recueillez et surveillez en continu des données de rendement, comme l’analytique, les commentaires et le coût par transaction, et servez-vous-en pour améliorer le service sans cesse.',
    },
  },
];
