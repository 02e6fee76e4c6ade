import { describe, expect, it } from 'vitest';
import {
  findPersonalInformation,
  scrubPersonalInformation,
  type PersonalInformationKind,
} from './personal-information.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';

describe('scrubPersonalInformation', () => {
  // [input, scrubbed text, kinds found]
  const found: [string, string, PersonalInformationKind[]][] = [
    // E-mail addresses
    ['Write to me at jane.doe@example.com please', 'Write to me at ### please', ['email']],
    ['jane+consultation@mail.example.gc.ca', '###', ['email']],
    ['Mon courriel : josée.côté@exemple.québec.', 'Mon courriel : ###.', ['email']],
    ['(JEAN_T-99@Exemple.CA)', '(###)', ['email']],
    // Phone numbers
    ['Call (416) 555-0199 today', 'Call ### today', ['phone']],
    ['Call 416-555-0199.', 'Call ###.', ['phone']],
    ['416.555.0199', '###', ['phone']],
    ['Phone: 416 555 0199, evenings', 'Phone: ###, evenings', ['phone']],
    ['tel:4165550199', 'tel:###', ['phone']],
    ['+1 416 555 0199', '###', ['phone']],
    ['+1 (416) 555-0199', '###', ['phone']],
    ['Toll-free: 1-800-555-0199!', 'Toll-free: ###!', ['phone']],
    ['Reach me at 613-555-0134 ext. 123 or x45', 'Reach me at ### or x45', ['phone']],
    ['613-555-0134 x123', '###', ['phone']],
    ['Tél. 819 555-0110 poste 4567.', 'Tél. ###.', ['phone']],
    // Postal codes
    ['Code postal : H2X 1Y4', 'Code postal : ###', ['postal_code']],
    ['I live near k1a0b1, Ottawa', 'I live near ###, Ottawa', ['postal_code']],
    ['Ottawa (Ontario) K1A-0B1', 'Ottawa (Ontario) ###', ['postal_code']],
    // SIN-like numbers
    ['Mon NAS est 046 454 286', 'Mon NAS est ###', ['sin']],
    ['My SIN: 046-454-286.', 'My SIN: ###.', ['sin']],
    ['SIN 046454286', 'SIN ###', ['sin']],
    // Card-like numbers
    ['Card 4111 1111 1111 1111 was charged', 'Card ### was charged', ['card']],
    ['Carte : 4111-1111-1111-1111.', 'Carte : ###.', ['card']],
    ['Amex 378282246310005', 'Amex ###', ['card']],
    ['Amex 3782 822463 10005', 'Amex ###', ['card']],
    // Several kinds together, in both languages
    [
      'Mon courriel est jean.tremblay@exemple.ca et mon numéro est le 514 555-0123 poste 22',
      'Mon courriel est ### et mon numéro est le ###',
      ['email', 'phone'],
    ],
    [
      'Please contact me (jane@example.org, 902-555-0147) at B3H 4R2; my SIN is 046 454 286.',
      'Please contact me (###, ###) at ###; my SIN is ###.',
      ['email', 'phone', 'postal_code', 'sin'],
    ],
  ];

  it.each(found)('scrubs %j', (input, text, kinds) => {
    expect(scrubPersonalInformation(input)).toEqual({ text, kinds });
  });

  const ordinary = [
    'In 2023, and again in 2023-2024, the programme grew.',
    'Le rapport du 2024-03-31 (ou 31/03/2024) est en retard.',
    'It cost $1,500.00, or $12,345,678.90 in total.',
    `Le coût : 1 500,00 $, soit 1${NNBSP}234${NNBSP}567,89${NBSP}$ au total.`,
    'Une hausse de 45 % (12.5% in English) depuis 2019.',
    'The meeting is at 10:30, la réunion est à 14 h 30.',
    'My file is ABC-12345, reference 2024-000123.',
    'Version 2.10.3, build 10.0.19045.2965, IP 192.168.100.200.',
    // Large numbers written with French thousands separators are not SINs, cards or phones.
    'La ville compte 1 234 567 890 habitants et un budget de 123 456 789 $.',
    `Une dette de 1${NNBSP}500${NNBSP}000${NNBSP}000${NNBSP}000${NBSP}$.`,
    'Un montant de 123 456 789,50 ou de 123456789.50.',
    'Le montant de 416-555-0199 $ est une erreur de saisie.',
    // Not phones: area codes start with 2–9 (a Unix timestamp is not a phone number either).
    'Numbers 123-456-7890 and 1711900800 are not personal.',
    // Not postal codes: D and O are never used, and codes are not part of longer words.
    'Codes D1A 1A1, K1O 0B1 and XK1A0B1 are not postal codes.',
    // A 12-digit run is neither a phone number plus two digits nor a card; cards have 13 digits or more.
    'Order 416555019912 shipped, ticket 1234 5678 9012.',
    'Contact: jane@localhost or @handle',
  ];

  it.each(ordinary)('leaves ordinary text alone: %j', (input) => {
    expect(scrubPersonalInformation(input)).toEqual({ text: input, kinds: [] });
  });

  it('scrubs matches at the very start and end of the text', () => {
    expect(scrubPersonalInformation('046 454 286 est mon NAS, mon code est H2X 1Y4')).toEqual({
      text: '### est mon NAS, mon code est ###',
      kinds: ['sin', 'postal_code'],
    });
  });

  it('uses the replacement given, and reports each kind once in order of first appearance', () => {
    expect(scrubPersonalInformation('416-555-0199, a@b.ca, 514-555-0123', '[removed]')).toEqual({
      text: '[removed], [removed], [removed]',
      kinds: ['phone', 'email'],
    });
  });

  it('handles the non-breaking spaces French typography puts in numbers and before colons', () => {
    const input = `Téléphone${NNBSP}: 514${NBSP}555${NBSP}0123 poste${NBSP}22 ; NAS${NNBSP}: 046${NNBSP}454${NNBSP}286 ; code${NBSP}: H2X${NBSP}1Y4.`;
    expect(scrubPersonalInformation(input)).toEqual({
      text: `Téléphone${NNBSP}: ### ; NAS${NNBSP}: ### ; code${NBSP}: ###.`,
      kinds: ['phone', 'sin', 'postal_code'],
    });
  });

  it('keeps punctuation and accented words next to a match', () => {
    expect(scrubPersonalInformation('«jean@exemple.ca», «K1A 0B1»… Écrivez-moi!')).toEqual({
      text: '«###», «###»… Écrivez-moi!',
      kinds: ['email', 'postal_code'],
    });
  });

  it('returns empty text unchanged', () => {
    expect(scrubPersonalInformation('')).toEqual({ text: '', kinds: [] });
  });

  // No Luhn or SIN checksum, on purpose (see the module comment): privacy first.
  it('scrubs card and SIN look-alikes that fail their checksum', () => {
    expect(scrubPersonalInformation('Carte 4111 1111 1111 1112, NAS 123 456 789')).toEqual({
      text: 'Carte ###, NAS ###',
      kinds: ['card', 'sin'],
    });
  });

  it('scrubs a card number together with the expiry date typed after it', () => {
    expect(scrubPersonalInformation('4111 1111 1111 1111 1226')).toEqual({ text: '###', kinds: ['card'] });
  });

  it('errs on the side of privacy: four space-separated years read as a card number', () => {
    expect(scrubPersonalInformation('Years 2021 2022 2023 2024').kinds).toEqual(['card']);
  });

  it('stays fast on long and adversarial input', () => {
    const input = `${'a'.repeat(50_000)}@ ${'1'.repeat(50_000)} ${'Mon NAS est 046 454 286. '.repeat(2_000)}`;
    const started = performance.now();
    expect(scrubPersonalInformation(input).kinds).toEqual(['card', 'sin']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('findPersonalInformation', () => {
  it('gives kind, position and text of every match, in order', () => {
    const text = 'NAS 046-454-286, courriel a.b@c.ca, tél. (514) 555-0123';
    expect(findPersonalInformation(text)).toEqual([
      { kind: 'sin', start: 4, end: 15, text: '046-454-286' },
      { kind: 'email', start: 26, end: 34, text: 'a.b@c.ca' },
      { kind: 'phone', start: 41, end: 55, text: '(514) 555-0123' },
    ]);
  });

  it('lets the longest match win where candidates overlap', () => {
    expect(findPersonalInformation('4111111111111111')).toEqual([
      { kind: 'card', start: 0, end: 16, text: '4111111111111111' },
    ]);
    expect(findPersonalInformation('4165550199@sms.example.ca')).toEqual([
      { kind: 'email', start: 0, end: 25, text: '4165550199@sms.example.ca' },
    ]);
    expect(findPersonalInformation('h2x1y4@exemple.ca').map((m) => m.kind)).toEqual(['email']);
  });

  it('keeps the extension inside the phone match', () => {
    expect(findPersonalInformation('514 555-0123 poste 22').map((m) => m.text)).toEqual([
      '514 555-0123 poste 22',
    ]);
  });

  it('finds nothing in text without personal information', () => {
    expect(findPersonalInformation('Merci pour cette consultation publique de 2024 !')).toEqual([]);
  });
});
