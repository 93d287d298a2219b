import { useParams } from 'react-router';
import { RefundPage } from '../../features/refund/refund-page';
import { useMerchant } from '../../lib/merchant-context';
import { useFlowPaths } from '../flow-paths';

/** `/:merchantId/r/:token`: the payer's sealed money-back link. */
export function RefundRoutePage() {
  const { token = '' } = useParams();
  const merchant = useMerchant();
  const paths = useFlowPaths();
  return (
    <div className="page">
      <RefundPage key={token} merchantId={paths.merchantId} token={token} merchantName={merchant.name} />
    </div>
  );
}
