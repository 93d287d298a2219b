import { useParams } from 'react-router';
import { useEmbed } from '../features/embed/embed-context';

/** Paths inside one merchant's portal; an embedded session stays embedded as it moves between them. */
export function useFlowPaths() {
  const { merchantId = '' } = useParams();
  const { query } = useEmbed();
  const suffix = query ? `?${query}` : '';
  const base = `/${encodeURIComponent(merchantId)}`;
  return {
    merchantId,
    home: `${base}${suffix}`,
    pay: `${base}/pay${suffix}`,
    withSuffix: (path: string) => `${path}${suffix}`,
  };
}
