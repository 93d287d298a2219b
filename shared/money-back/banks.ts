/**
 * The banks PayU Payouts can pay into in Colombia (docs/spec/money-back.md "Banks"): 56 codes, sent to PayU
 * exactly as written here (leading zeros are significant: "007" is Bancolombia, "7" is nothing). Daviplata is
 * not supported by PayU Payouts and is deliberately absent. Nequi is a wallet paid as a savings account.
 */
export interface Bank {
  readonly code: string;
  readonly name: string;
}

export const NEQUI_CODE = '507';

export const PAYOUT_BANKS: readonly Bank[] = [
  { code: '001', name: 'BOGOTA' },
  { code: '002', name: 'POPULAR' },
  { code: '006', name: 'ITAU CORPBANCA' },
  { code: '007', name: 'BANCOLOMBIA' },
  { code: '009', name: 'CITIBANK COLOMBIA' },
  { code: '012', name: 'GNB SUDAMERIS' },
  { code: '013', name: 'BBVA' },
  { code: '014', name: 'ITAU' },
  { code: '019', name: 'SCOTIABANK' },
  { code: '023', name: 'BANCO DE OCCIDENTE' },
  { code: '031', name: 'BANCOLDEX' },
  { code: '032', name: 'BCSC' },
  { code: '040', name: 'BANCO AGRARIO' },
  { code: '041', name: 'JPMORGAN' },
  { code: '042', name: 'BNP PARIBAS' },
  { code: '047', name: 'MUNDOMUJER' },
  { code: '051', name: 'DAVIVIENDA' },
  { code: '052', name: 'AV VILLAS' },
  { code: '053', name: 'BANCO WWB' },
  { code: '059', name: 'BANCAMIA' },
  { code: '060', name: 'PICHINCHA' },
  { code: '061', name: 'BANCOOMEVA' },
  { code: '062', name: 'FALABELLA' },
  { code: '063', name: 'FINANDINA' },
  { code: '065', name: 'BCO SANTANDER DE NEGOCIOS' },
  { code: '066', name: 'COOPCENTRAL' },
  { code: '067', name: 'COOMPARTIR' },
  { code: '069', name: 'BANCO SERFINANZA' },
  { code: '070', name: 'LULO BANK' },
  { code: '071', name: 'BANCO JP MORGAN COLOMBIA' },
  { code: '083', name: 'COMPENSAR' },
  { code: '084', name: 'APORTES EN LINEA (GESTION Y CONTACTO)' },
  { code: '086', name: 'ASOPAGOS' },
  { code: '087', name: 'FEDECAJAS' },
  { code: '088', name: 'SIMPLE' },
  { code: '089', name: 'ENLACE OPERATIVO' },
  { code: '090', name: 'CORFICOLOMBIANA' },
  { code: '121', name: 'JURISCOOP' },
  { code: '283', name: 'COOPERATIVA FINANCIERA DE ANTIOQUIA' },
  { code: '289', name: 'COTRAFA' },
  { code: '292', name: 'CONFIAR COOPERATIVA FINANCIERA' },
  { code: '370', name: 'COLTEFINANCIERA S.A. - COMPANIA DE FINANCIAMIENTO' },
  { code: '507', name: 'NEQUI' },
  { code: '550', name: 'DECEVAL' },
  { code: '558', name: 'CREDIFINANCIERA S.A.' },
  { code: '683', name: 'DGCPTN' },
  { code: '685', name: 'DGCPTN-REGALIAS' },
  { code: '801', name: 'MOVII' },
  { code: '1062', name: 'BANCO FALABELLA S.A.' },
  { code: '1063', name: 'BANCO FINANDINA S.A.' },
  { code: '1069', name: 'BANCO SERFINANZA S.A.' },
  { code: '1283', name: 'COOPERATIVA FINANCIERA DE ANTIOQUIA' },
  { code: '1291', name: 'COOFINEP' },
  { code: '1292', name: 'CONFIAR COOPERATIVA FINANCIERA' },
  { code: '1303', name: 'GIROS Y FINANZAS' },
  { code: '1637', name: 'IRIS' },
];

const BY_CODE = new Map(PAYOUT_BANKS.map((b) => [b.code, b]));

export function findBank(code: string): Bank | null {
  return BY_CODE.get(code) ?? null;
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}

/** Banks whose name contains every word of the query (accents and case ignored), or whose code is the query. */
export function searchBanks(query: string): Bank[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...PAYOUT_BANKS];
  return PAYOUT_BANKS.filter((b) => b.code === query.trim() || words.every((w) => fold(b.name).includes(w)));
}
