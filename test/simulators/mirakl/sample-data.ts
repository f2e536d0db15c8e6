/**
 * Plausible customers per country for generated orders. Country codes are ISO 3166 alpha-3, as Mirakl sends
 * them in addresses (notes §1.6).
 */
import type { Prng } from "./prng";
import type { SimAddress } from "./types";

interface CountrySample {
  country: string;
  locale: string;
  civilities: string[];
  firstnames: string[];
  lastnames: string[];
  streets: string[];
  places: Array<{ city: string; zip: string; state: string | null }>;
  phone: (prng: Prng) => string;
}

const digits = (prng: Prng, n: number) => prng.chars({ length: n, alphabet: "0123456789" });

const SAMPLES: Record<string, CountrySample> = {
  GBR: {
    country: "United Kingdom",
    locale: "en_GB",
    civilities: ["Mr", "Mrs", "Ms", "Miss"],
    firstnames: ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlotte", "Thomas"],
    lastnames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker"],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane", "The Green"],
    places: [
      { city: "London", zip: "SW1A 1AA", state: null },
      { city: "Manchester", zip: "M1 1AE", state: null },
      { city: "Leeds", zip: "LS1 4DY", state: null },
      { city: "Bristol", zip: "BS1 5TR", state: null },
      { city: "Edinburgh", zip: "EH1 1YZ", state: "Scotland" },
      { city: "Market Harborough", zip: "LE16 7NJ", state: "Leicestershire" },
    ],
    phone: (p) => `+44 7${digits(p, 3)} ${digits(p, 6)}`,
  },
  FRA: {
    country: "France",
    locale: "fr_FR",
    civilities: ["M.", "Mme"],
    firstnames: ["Claire", "Louis", "Camille", "Hugo", "Léa", "Lucas", "Chloé", "Jules", "Manon", "Arthur"],
    lastnames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"],
    streets: ["rue des Lilas", "avenue Jean Jaurès", "rue de la République", "boulevard Victor Hugo", "rue Pasteur"],
    places: [
      { city: "Paris", zip: "75011", state: null },
      { city: "Lyon", zip: "69003", state: null },
      { city: "Lille", zip: "59000", state: null },
      { city: "Nantes", zip: "44000", state: null },
      { city: "Bordeaux", zip: "33000", state: null },
    ],
    phone: (p) => `+33 6 ${digits(p, 2)} ${digits(p, 2)} ${digits(p, 2)} ${digits(p, 2)}`,
  },
  DEU: {
    country: "Deutschland",
    locale: "de_DE",
    civilities: ["Herr", "Frau"],
    firstnames: ["Lukas", "Mia", "Leon", "Emma", "Finn", "Hannah", "Paul", "Lena", "Jonas", "Sophie"],
    lastnames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann"],
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Lindenweg"],
    places: [
      { city: "Berlin", zip: "10115", state: "Berlin" },
      { city: "München", zip: "80331", state: "Bayern" },
      { city: "Hamburg", zip: "20095", state: "Hamburg" },
      { city: "Köln", zip: "50667", state: "Nordrhein-Westfalen" },
    ],
    phone: (p) => `+49 151 ${digits(p, 8)}`,
  },
  USA: {
    country: "United States",
    locale: "en_US",
    civilities: ["Mr", "Mrs", "Ms"],
    firstnames: ["James", "Olivia", "Liam", "Emma", "Noah", "Sophia", "Mason", "Isabella"],
    lastnames: ["Johnson", "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson"],
    streets: ["Main Street", "Oak Avenue", "Maple Drive", "Prince Street", "Elm Street"],
    places: [
      { city: "New York", zip: "10012", state: "NY" },
      { city: "Austin", zip: "78701", state: "TX" },
      { city: "Seattle", zip: "98101", state: "WA" },
      { city: "Chicago", zip: "60601", state: "IL" },
    ],
    phone: (p) => `+1 ${digits(p, 3)}-${digits(p, 3)}-${digits(p, 4)}`,
  },
};

export function knownCountries(): string[] {
  return Object.keys(SAMPLES);
}

export function countryName({ iso3 }: { iso3: string }): string {
  return SAMPLES[iso3]?.country ?? iso3;
}

export function sampleLocale({ iso3, fallback }: { iso3: string; fallback: string }): string {
  return SAMPLES[iso3]?.locale ?? fallback;
}

export function sampleAddress({ prng, iso3 }: { prng: Prng; iso3: string }): SimAddress {
  const s = SAMPLES[iso3] ?? (SAMPLES.FRA as CountrySample);
  const place = prng.pick(s.places);
  const streetNo = prng.int({ min: 1, max: 180 });
  const street = prng.pick(s.streets);
  return {
    civility: prng.pick(s.civilities),
    firstname: prng.pick(s.firstnames),
    lastname: prng.pick(s.lastnames),
    company: null,
    street1: iso3 === "DEU" ? `${street} ${streetNo}` : `${streetNo} ${street}`,
    street2: prng.chance(0.2) ? `Flat ${prng.int({ min: 1, max: 30 })}` : null,
    zipCode: place.zip,
    city: place.city,
    state: place.state,
    country: SAMPLES[iso3] ? s.country : iso3,
    countryIsoCode: iso3,
    phone: s.phone(prng),
    additionalInfo: null,
  };
}
