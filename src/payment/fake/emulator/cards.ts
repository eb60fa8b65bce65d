import { testCardFinder } from '../../../emulators/shared/cards.js';

/** The test cards the fake takes at checkout: what each does to the first charge and to later ones. */
export type CardBehaviour = 'pays' | 'declined' | 'failsRenewals';

export const findFakeTestCard = testCardFinder<{ number: string; behaviour: CardBehaviour }>([
  { number: '4242424242424242', behaviour: 'pays' },
  { number: '4000000000000002', behaviour: 'declined' },
  { number: '4000000000000341', behaviour: 'failsRenewals' },
]);
